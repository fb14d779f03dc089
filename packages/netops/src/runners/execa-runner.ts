/** The default {@link CommandRunner}, built on execa (imported on first use only). */
import type * as ExecaNs from 'execa';
import type { CommandRunner, RunOptions, RunResult } from '../runner.js';
import { inNetns, NSENTER } from './netns-prefix.js';
import { signalExitCode, spawnFailure } from './run-failure.js';

/** Options of {@link createExecaRunner}. */
export interface RunnerOptions {
  /** Program used to enter namespaces; default `nsenter` from PATH. */
  nsenter?: string;
}

type ExecaModule = typeof ExecaNs;
let execaModule: Promise<ExecaModule> | undefined;

/** A runner on execa: resolves for any exit code, rejects only when the program cannot start. */
export function createExecaRunner(options: RunnerOptions = {}): CommandRunner {
  const nsenter = options.nsenter ?? NSENTER;
  return async (argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> => {
    const full = inNetns(argv, opts.netns, nsenter);
    const [file, ...args] = full;
    if (file === undefined) throw new TypeError('empty argv');
    // Importing execa costs tens of milliseconds; pay it only when a command actually runs.
    execaModule ??= import('execa');
    const [{ execa }, { constants }] = await Promise.all([execaModule, import('node:os')]);
    const result = await execa(file, args, {
      reject: false,
      input: opts.input ?? '',
      env: opts.env ?? {},
      extendEnv: true,
      stripFinalNewline: false,
      ...(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs }),
    });
    const stdout = typeof result.stdout === 'string' ? result.stdout : '';
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    if (result.exitCode === undefined && result.signal === undefined && !result.timedOut)
      throw spawnFailure(file, result.code, result.cause);
    return {
      argv: full,
      exitCode: result.exitCode ?? signalExitCode(result.signal, constants.signals),
      stdout,
      stderr,
      ...(result.timedOut ? { timedOut: true } : {}),
    };
  };
}

/** The default runner (execa, nsenter from PATH). */
export const execaRunner: CommandRunner = createExecaRunner();
