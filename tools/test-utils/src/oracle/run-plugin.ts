/**
 * Runs a CNI plugin binary the way a container runtime does: inside the host network namespace,
 * with a clean environment holding only PATH and the CNI_* variables, the config on stdin.
 */
import { isAbsolute } from 'node:path';
import { execa } from 'execa';
import { cniEnv } from '../cni-env.js';
import { REFERENCE_PLUGIN_DIR } from '../cni-env.js';
import type { Netns } from '../netns.js';
import { OracleError } from './errors.js';

/** PATH handed to the plugin unless the caller gives another (what runtimes usually pass). */
export const DEFAULT_PLUGIN_PATH_ENV =
  '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// Absolute so that a test PATH without system directories still finds it.
const NSENTER = '/usr/bin/nsenter';

/** One plugin invocation. */
export interface RunPluginOptions {
  /** The namespace the plugin runs in (where the bridge lives). */
  host: Netns;
  /** CNI_COMMAND. */
  command: string;
  /** CNI_CONTAINERID. */
  containerId?: string;
  /** CNI_NETNS: a namespace (its path is used) or a raw path; '' sets it empty. */
  netns?: Netns | string;
  /** CNI_IFNAME. */
  ifName?: string;
  /** CNI_ARGS. */
  args?: string;
  /** CNI_PATH (default: the reference plugin directory). */
  path?: string | readonly string[];
  /** The network config: an object is serialized, a string is sent as is. */
  config: unknown;
  /** PATH of the plugin process (default {@link DEFAULT_PLUGIN_PATH_ENV}). */
  envPath?: string;
  /** Extra variables, e.g. CNI_NETNS_OVERRIDE; names must look like environment names. */
  extraEnv?: Record<string, string>;
  /** Kill the plugin after this long (default 60 s). */
  timeoutMs?: number;
}

/** How the plugin ended. */
export interface PluginRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Runs `binary` once and reports its exit code, output and parsed stdout; never throws on failure. */
export async function runCniPlugin(binary: string, options: RunPluginOptions): Promise<PluginRun> {
  if (!isAbsolute(binary))
    throw new OracleError(`plugin binary must be an absolute path: ${binary}`);
  const netns = typeof options.netns === 'object' ? options.netns.path : options.netns;
  const env: Record<string, string> = {
    PATH: options.envPath ?? DEFAULT_PLUGIN_PATH_ENV,
    ...cniEnv({
      command: options.command,
      containerId: options.containerId,
      netns,
      ifName: options.ifName,
      args: options.args,
      path: options.path ?? REFERENCE_PLUGIN_DIR,
    }),
  };
  for (const [name, value] of Object.entries(options.extraEnv ?? {})) {
    if (!ENV_NAME.test(name)) throw new OracleError(`bad environment variable name ${name}`);
    env[name] = value;
  }
  const input =
    typeof options.config === 'string' ? options.config : JSON.stringify(options.config);
  let result;
  try {
    result = await execa(NSENTER, [`--net=${options.host.path}`, '--', binary], {
      env,
      extendEnv: false,
      input,
      reject: false,
      timeout: options.timeoutMs ?? 60_000,
      stripFinalNewline: false,
    });
  } catch (cause) {
    throw new OracleError(`could not start ${binary}`, { cause });
  }
  if (result.timedOut) throw new OracleError(`${binary} ${options.command} timed out`);
  const stdout = String(result.stdout ?? '');
  return {
    exitCode: result.exitCode ?? -1,
    stdout,
    stderr: String(result.stderr ?? ''),
    json: parseJson(stdout),
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
