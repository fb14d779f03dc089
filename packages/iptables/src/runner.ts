/**
 * Running iptables/nft: the default {@link CommandRunner} (netops' spawn runner) and `runChecked`,
 * which turns a non-zero exit into a {@link NetfilterError}.
 */
import { spawnRunner, type CommandRunner, type RunOptions, type RunResult } from '@cnikit/netops';
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
 * The default runner: netops' `spawnRunner` (node:child_process, `nsenter --net=PATH --` in front
 * when `netns` is set), which resolves with any exit code and rejects only when the program
 * cannot be started.
 */
export const defaultRunner: CommandRunner = spawnRunner;

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
