/**
 * A {@link CommandRunner} on plain `node:child_process.spawn`: no module to load, so it starts
 * faster than execa; meant for plugin executables where start-up time counts. node:child_process
 * and node:os load on the first command (through `process.getBuiltinModule`: an `import()` would
 * start Node's ESM loader, several ms), so a bun executable that brings its own runner never pays
 * for them.
 */
import type * as ChildProcess from 'node:child_process';
import type * as Os from 'node:os';
import type { CommandRunner, RunOptions, RunResult } from '../runner.js';
import type { RunnerOptions } from './execa-runner.js';
import { inNetns, NSENTER } from './netns-prefix.js';
import { signalExitCode, spawnFailure } from './run-failure.js';

const loadNodeModules = (): [typeof ChildProcess, typeof Os] => [
  process.getBuiltinModule('node:child_process'),
  process.getBuiltinModule('node:os'),
];

/** A runner on node:child_process: resolves for any exit code, rejects when the program cannot start. */
export function createSpawnRunner(options: RunnerOptions = {}): CommandRunner {
  const nsenter = options.nsenter ?? NSENTER;
  return async (argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> => {
    const full = inNetns(argv, opts.netns, nsenter);
    const [file, ...args] = full;
    if (file === undefined) throw new TypeError('empty argv');
    const [{ spawn }, { constants }] = loadNodeModules();
    return new Promise<RunResult>((resolve, reject) => {
      const child = spawn(file, args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: opts.env ? { ...process.env, ...opts.env } : process.env,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      if (opts.timeoutMs !== undefined)
        timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      // A child that exits without reading all of stdin makes the write fail with EPIPE: harmless.
      child.stdin.on('error', () => undefined);
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(spawnFailure(file, e.code, e));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({
          argv: full,
          exitCode: code ?? signalExitCode(signal, constants.signals),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          ...(timedOut ? { timedOut: true } : {}),
        });
      });
      child.stdin.end(opts.input ?? '');
    });
  };
}

/** A ready spawn-based runner (nsenter from PATH). */
export const spawnRunner: CommandRunner = createSpawnRunner();
