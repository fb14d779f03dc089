/**
 * Running iptables/nft: a tiny default {@link CommandRunner} on node:child_process (loaded on first
 * use) and `runChecked`, which turns a non-zero exit into a {@link NetfilterError}.
 */
import type { CommandRunner, RunOptions, RunResult } from '@cnikit/netops';
import { NetfilterError, NetfilterErrorCode, type NetfilterBackendName } from './errors.js';
import { validateNetnsPath } from './validate.js';

/** How this package's functions reach the kernel: namespace, runner and timeout. */
export interface ExecContext {
  /** Run every command inside this network namespace (an nsfs path), via `nsenter --net=`. */
  netns?: string | undefined;
  /** Replaces the default runner (tests, or a bun executable's spawn). */
  runner?: CommandRunner | undefined;
  /** Kill a command after this many milliseconds (default 55 000, the reference's nft timeout). */
  timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 55_000;

/** Copies the execution fields out of a caller's options, checking the namespace path. */
export function contextOf(options: ExecContext): ExecContext {
  return {
    netns: validateNetnsPath(options.netns),
    runner: options.runner,
    timeoutMs: options.timeoutMs,
  };
}

/**
 * The default runner: spawns argv (behind `nsenter --net=PATH --` when `netns` is set), writes
 * `input` to stdin, and resolves with the exit code and output; rejects only when the program
 * cannot be started.
 */
export const defaultRunner: CommandRunner = (argv, options = {}) => {
  const { spawn } = process.getBuiltinModule('node:child_process');
  const full = options.netns === undefined ? [...argv] : nsenterArgv(options.netns, argv);
  const [cmd, ...args] = full;
  if (cmd === undefined) return Promise.reject(new Error('empty argv'));
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ? { ...process.env, ...options.env } : process.env,
      timeout: options.timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        argv: full,
        exitCode: code ?? 128,
        stdout,
        stderr,
        timedOut: signal !== null && child.killed,
      });
    });
    // A child that exits without reading stdin makes the write fail with EPIPE: not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
};

/** `nsenter --net=PATH -- argv...`. */
export function nsenterArgv(netns: string, argv: readonly string[]): string[] {
  return ['nsenter', `--net=${netns}`, '--', ...argv];
}

/** One command with what to report if it fails. */
export interface CommandSpec {
  backend: NetfilterBackendName;
  argv: readonly string[];
  input?: string;
}

/** Runs a command through the context's runner; the result may have any exit code. */
export async function runCommand(ctx: ExecContext, spec: CommandSpec): Promise<RunResult> {
  const runner = ctx.runner ?? defaultRunner;
  const options: RunOptions = { timeoutMs: ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  if (ctx.netns !== undefined) options.netns = ctx.netns;
  if (spec.input !== undefined) options.input = spec.input;
  try {
    return await runner(spec.argv, options);
  } catch (cause) {
    throw new NetfilterError(
      NetfilterErrorCode.CommandFailed,
      `${spec.backend}: cannot run ${spec.argv[0] ?? ''}: ${describe(cause)}`,
      { backend: spec.backend, argv: spec.argv, input: spec.input, cause },
    );
  }
}

/** Like {@link runCommand} but a non-zero exit (or a timeout) throws a NetfilterError. */
export async function runChecked(ctx: ExecContext, spec: CommandSpec): Promise<RunResult> {
  const result = await runCommand(ctx, spec);
  if (result.exitCode !== 0 || result.timedOut) throw commandFailed(spec, result);
  return result;
}

/** The error for a command that ran and failed. */
export function commandFailed(spec: CommandSpec, result: RunResult): NetfilterError {
  const why = result.timedOut ? 'timed out' : `exited ${result.exitCode}`;
  const detail = result.stderr.trim().split('\n')[0] ?? '';
  return new NetfilterError(
    NetfilterErrorCode.CommandFailed,
    `${spec.backend}: ${spec.argv.join(' ')} ${why}${detail ? `: ${detail}` : ''}`,
    {
      backend: spec.backend,
      argv: result.argv,
      input: spec.input,
      stderr: result.stderr,
      exitCode: result.exitCode,
    },
  );
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
