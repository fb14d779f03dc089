/**
 * Starting the delegate. The default spawner uses node:child_process directly so that stdin gets
 * the caller's exact bytes and the child gets exactly the environment given (no merging). A
 * caller-supplied `CommandRunner` (for example one built on Bun.spawn) is adapted to the same shape.
 */
import type * as ChildProcess from 'node:child_process';
import type * as Os from 'node:os';
import type { CommandRunner, RunResult } from '@cnikit/netops';

/** One run of a plugin executable. */
export interface PluginRun {
  /** The bytes written to the child's stdin, which is then closed. */
  input: Uint8Array;
  /** The child's complete environment. */
  env: Record<string, string>;
  /** Kill the child (SIGKILL) after this many milliseconds. */
  timeoutMs: number;
}

/** Runs argv to completion; rejects only when it cannot be started (error with a `code`). */
export type PluginSpawner = (argv: readonly string[], run: PluginRun) => Promise<RunResult>;

/**
 * Loaded on the first spawn: a caller that brings its own runner never pays for them. Through
 * `process.getBuiltinModule`, since an `import()` would start Node's ESM loader (several ms).
 */
const loadNodeModules = (): [typeof ChildProcess, typeof Os] => [
  process.getBuiltinModule('node:child_process'),
  process.getBuiltinModule('node:os'),
];

/** The default spawner: exact stdin bytes, exact environment, SIGKILL on timeout. */
export const spawnPlugin: PluginSpawner = async (argv, run) => {
  const [{ spawn }, { constants }] = loadNodeModules();
  return new Promise<RunResult>((resolve, reject) => {
    const [file, ...args] = argv;
    if (file === undefined) {
      reject(new Error('empty argv'));
      return;
    }
    const child = spawn(file, args, { env: run.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A plugin that exits without reading stdin makes the write fail with EPIPE: not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.input);

    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        argv: [...argv],
        exitCode: code ?? signalExitCode(signal, constants.signals),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    };
    // Normally wait for 'close' (all output read). A killed plugin's own children may still hold
    // the pipes open, so after a timeout the exit itself ends the run.
    child.on('close', finish);
    child.on('exit', (code, signal) => {
      if (!timedOut) return;
      child.stdout.destroy();
      child.stderr.destroy();
      finish(code, signal);
    });
  });
};

/** The shell's convention for a child killed by a signal: 128 + its number. */
function signalExitCode(
  signal: NodeJS.Signals | null,
  signals: Readonly<Record<string, number | undefined>>,
): number {
  return signal === null ? 1 : 128 + (signals[signal] ?? 0);
}

/**
 * Adapts a netops `CommandRunner`: stdin is passed as UTF-8 text (a config that is not valid
 * UTF-8 would not survive byte-identical), the environment as its `env` option.
 */
export function spawnerFromRunner(runner: CommandRunner): PluginSpawner {
  return (argv, run) =>
    runner(argv, {
      input: new TextDecoder().decode(run.input),
      env: run.env,
      timeoutMs: run.timeoutMs,
    });
}
