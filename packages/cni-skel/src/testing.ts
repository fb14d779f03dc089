/**
 * `@cnikit/cni-skel/testing`: run a plugin in-process with an in-memory io, the way Go's
 * pkg/testutils does, so plugin tests need no child process.
 */
import type { CniErrorJson } from './errors.js';
import type { Plugin } from './plugin.js';
import { runPlugin } from './run.js';

/** One simulated call. */
export interface InvokeOptions {
  /** The whole environment the plugin sees (nothing is inherited from the test process). */
  env: Record<string, string | undefined>;
  /** Stdin: text or bytes as given, any other value JSON-encoded; absent = empty stdin. */
  stdin?: string | Uint8Array | object;
}

/** What the call produced. */
export interface InvokeOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Stdout parsed as JSON, when the call succeeded and printed something (ADD, VERSION). */
  result?: unknown;
  /** Stdout parsed as the CNI error object, when the call failed. */
  error?: CniErrorJson;
}

function stdinBytes(stdin: InvokeOptions['stdin']): Uint8Array {
  if (stdin === undefined) return new Uint8Array();
  if (stdin instanceof Uint8Array) return stdin;
  return new TextEncoder().encode(typeof stdin === 'string' ? stdin : JSON.stringify(stdin));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Runs `plugin` once with the given env and stdin, capturing stdout and stderr. */
export async function invokePlugin<C>(
  plugin: Plugin<C>,
  options: InvokeOptions,
): Promise<InvokeOutcome> {
  const input = stdinBytes(options.stdin);
  let stdout = '';
  let stderr = '';
  const exitCode = await runPlugin(plugin, {
    env: { ...options.env },
    readStdin: () => Promise.resolve(input),
    writeStdout: (text) => {
      stdout += text;
      return Promise.resolve();
    },
    writeStderr: (text) => {
      stderr += text;
    },
  });
  const outcome: InvokeOutcome = { exitCode, stdout, stderr };
  if (stdout.trim() !== '') {
    const parsed = parseJson(stdout);
    if (exitCode === 0) outcome.result = parsed;
    else outcome.error = parsed as CniErrorJson;
  }
  return outcome;
}
