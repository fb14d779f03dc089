/**
 * A command runner for tests that records every call and answers through a responder instead of
 * starting processes. Its shape is the `CommandRunner` of @cnikit/netops and @cnikit/iptables
 * (declared structurally here, so test-utils depends on neither), so it can replace the runner of
 * any of them, or of a plugin's runtime.
 */

/** What a command was asked to run with (the `RunOptions` of @cnikit/netops). */
export interface RecordedRunOptions {
  input?: string;
  netns?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** How a command ended (the `RunResult` of @cnikit/netops). */
export interface RecordedRunResult {
  argv: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}

/** One recorded call. */
export interface RecordedCall {
  readonly argv: readonly string[];
  /** Stdin text ("" when none). */
  readonly input: string;
  readonly netns: string | undefined;
  readonly env: Readonly<Record<string, string>> | undefined;
}

/**
 * Plays the outside world for one call: the parts of the result to use (missing fields mean exit
 * 0 with empty output). It may be async, and may throw an error with a `code` to simulate a
 * program that cannot start.
 */
export type Responder = (
  argv: readonly string[],
  options: RecordedRunOptions,
) => Partial<RecordedRunResult> | undefined | Promise<Partial<RecordedRunResult> | undefined>;

/** A runner that records calls; `run` is the function to hand over as the runner. */
export class RecordingRunner {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly respond: Responder = () => undefined) {}

  /** The runner itself (an arrow property, so it can be passed around unbound). */
  readonly run = async (
    argv: readonly string[],
    options: RecordedRunOptions = {},
  ): Promise<RecordedRunResult> => {
    this.calls.push({
      argv: [...argv],
      input: options.input ?? '',
      netns: options.netns,
      env: options.env === undefined ? undefined : { ...options.env },
    });
    const answer = await this.respond(argv, options);
    return { argv, exitCode: 0, stdout: '', stderr: '', ...answer };
  };

  /** Forgets the calls recorded so far. */
  clear(): void {
    this.calls.length = 0;
  }
}
