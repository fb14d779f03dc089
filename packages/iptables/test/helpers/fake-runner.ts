/** A scripted CommandRunner that records every call, for tests that check the exact commands. */
import type { CommandRunner, RunOptions, RunResult } from '@cnikit/netops';

export interface RecordedCall {
  argv: readonly string[];
  options: RunOptions;
}

/** Answers a call; return undefined to fall through to the default (exit 0, no output). */
export type Responder = (
  argv: readonly string[],
  options: RunOptions,
) => Partial<RunResult> | Error | undefined;

export interface FakeRunner {
  runner: CommandRunner;
  calls: RecordedCall[];
  /** The argv of each call, joined by spaces. */
  commands(): string[];
}

export function fakeRunner(respond: Responder = () => undefined): FakeRunner {
  const calls: RecordedCall[] = [];
  const runner: CommandRunner = (argv, options = {}) => {
    calls.push({ argv, options });
    const answer = respond(argv, options);
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve({ argv, exitCode: 0, stdout: '', stderr: '', ...answer });
  };
  return { runner, calls, commands: () => calls.map((c) => c.argv.join(' ')) };
}

/** An error like the one spawn gives for a program that is not installed. */
export function enoent(cmd: string): Error {
  return Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: 'ENOENT' });
}
