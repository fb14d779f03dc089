/**
 * Running the IPAM plugin named by `ipam.type` for one CNI verb, as cni's invoke package does:
 * the parent's environment with only CNI_COMMAND changed, the parent's stdin byte for byte, the
 * delegate's stderr copied to the caller's stderr, and its failures passed up as typed errors.
 */
import type { CommandRunner, RunResult } from '@cnikit/netops';
import { delegateFailure } from './delegate-failure.js';
import { IpamError } from './errors.js';
import { spawnWithRetry } from './exec-retry.js';
import { findPlugin, splitCniPath, type IsRegularFile } from './find-plugin.js';
import { spawnPlugin, spawnerFromRunner } from './spawn-plugin.js';

/** The verbs a plugin delegates to IPAM (VERSION is not delegated). */
export type IpamCommand = 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC';

/** Anything with a `write` that takes text: `process.stderr`, a Writable, a test buffer. */
export interface StderrSink {
  write(chunk: string): unknown;
}

/** How long a delegate may run before it is killed: generous, for DHCP-style IPAM plugins. */
export const DEFAULT_IPAM_TIMEOUT_MS = 60_000;

/** What {@link execIpam} and the `ipam*` verbs take. */
export interface IpamExecOptions {
  /** The plugin's name, i.e. the config's `ipam.type`. */
  pluginType: string;
  /** The upper plugin's complete stdin (the whole config, not only `ipam`), passed unchanged. */
  stdin: string | Uint8Array;
  /** The upper plugin's environment (default `process.env`); only CNI_COMMAND is replaced. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directories to search (default: CNI_PATH of `env`, split on ':'). */
  paths?: readonly string[];
  /**
   * Kill the delegate after this long (default {@link DEFAULT_IPAM_TIMEOUT_MS}; `Infinity` means
   * about 24 days, the longest a timer allows).
   */
  timeoutMs?: number;
  /**
   * Starts the delegate instead of node:child_process (e.g. a Bun.spawn runner). It receives the
   * complete environment as `env` and stdin decoded as UTF-8 text as `input`.
   */
  runner?: CommandRunner;
  /** Where the delegate's stderr is copied (default `process.stderr`); never stdout. */
  stderr?: StderrSink;
  /** How the plugin is looked for on the paths (default: node:fs stat). */
  isRegularFile?: IsRegularFile;
}

/** A successful delegate run. */
export interface IpamExecOutput {
  /** The executable that ran. */
  pluginPath: string;
  stdout: string;
  stderr: string;
}

/**
 * Finds and runs the IPAM plugin for `command`. Resolves when it exits 0 (its stdout is returned
 * unparsed); its stderr is copied to `options.stderr` whether it succeeds or fails.
 *
 * @throws {@link IpamError}: `lookup` (see {@link findPlugin}), `spawn` (could not start, ETXTBSY
 * retried 5 times 1 s apart), `timeout`, or `delegate` with the delegate's own code, msg, details.
 */
export async function execIpam(
  command: IpamCommand,
  options: IpamExecOptions,
): Promise<IpamExecOutput> {
  const env = delegateEnv(options.env ?? process.env, command);
  const paths = options.paths ?? splitCniPath(env.CNI_PATH);
  const pluginPath = await findPlugin(options.pluginType, paths, options.isRegularFile);
  const timeoutMs = timerDelay(options.timeoutMs);
  const spawner = options.runner ? spawnerFromRunner(options.runner) : spawnPlugin;

  const run: RunResult = await spawnWithRetry(spawner, [pluginPath], {
    input:
      typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : options.stdin,
    env,
    timeoutMs,
  });
  if (run.stderr !== '') (options.stderr ?? process.stderr).write(run.stderr);

  if (run.timedOut)
    throw new IpamError(
      'timeout',
      `IPAM plugin "${options.pluginType}" (${command}) timed out after ${timeoutMs} ms`,
    );
  if (run.exitCode !== 0) throw delegateFailure(run);
  return { pluginPath, stdout: run.stdout, stderr: run.stderr };
}

/** The largest delay a Node timer honours; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timeout to arm: the default when unset or not a positive number, capped for timers. */
function timerDelay(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined || !(timeoutMs > 0)) return DEFAULT_IPAM_TIMEOUT_MS;
  return Math.min(Math.ceil(timeoutMs), MAX_TIMER_MS);
}

/** The parent's environment with CNI_COMMAND set; unset (undefined) entries dropped. */
export function delegateEnv(
  parent: Readonly<Record<string, string | undefined>>,
  command: IpamCommand,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) if (value !== undefined) env[key] = value;
  env.CNI_COMMAND = command;
  return env;
}
