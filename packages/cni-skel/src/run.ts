/**
 * The skel's entry point: one call runs a plugin for one CNI request and returns the exit code.
 * The steps follow the Go skel's order (cni-spec.md §2.2) so that every failure gets the same
 * error code as with a Go plugin; the one boundary at the end turns any throw into the error JSON.
 */
import { CniError, ErrorCode, toCniError } from './errors.js';
import { buildContext } from './context.js';
import { isNetnsOverride, readRequestEnv, type CniCommand, type RequestEnv } from './env.js';
import { MAX_STDIN_BYTES, processIo, type PluginIo } from './io.js';
import { logSettings, noopLogger, type Logger } from './logger.js';
import {
  checkNetworkName,
  decodeNetConf,
  effectiveVersion,
  goField,
  rawConfigVersion,
} from './netconf-decode.js';
import { assertNotOwnNetns } from './netns-check.js';
import type { Plugin, PluginContext } from './plugin.js';
import { convertResult } from './result/convert.js';
import { parseResult } from './result/parse.js';
import { checkVersionGates } from './version-gate.js';
import { CURRENT_VERSION, type SpecVersion } from './versions.js';

const COMMANDS: readonly string[] = ['ADD', 'DEL', 'CHECK', 'GC', 'STATUS'];

/** What one run found out along the way, for the error JSON and the log. */
interface RunState {
  /** The config's cniVersion once decoded (non-empty string), echoed in the error JSON. */
  errorVersion?: string;
  log: Logger;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function aboutText<C>(plugin: Plugin<C>): string {
  return `${plugin.about}\nCNI protocol versions supported: ${plugin.supportedVersions.join(', ')}\n`;
}

function versionJson<C>(plugin: Plugin<C>): string {
  // Go prints the library's current version and never reads stdin (cni-spec.md §9.2).
  return (
    JSON.stringify({ cniVersion: CURRENT_VERSION, supportedVersions: plugin.supportedVersions }) +
    '\n'
  );
}

async function readStdin(io: PluginIo): Promise<Uint8Array> {
  let data: Uint8Array;
  try {
    data = await io.readStdin();
  } catch (err) {
    throw new CniError(ErrorCode.IoFailure, `error reading from stdin: ${message(err)}`, {
      cause: err,
    });
  }
  if (data.length > MAX_STDIN_BYTES)
    throw new CniError(
      ErrorCode.IoFailure,
      `error reading from stdin: input exceeds ${MAX_STDIN_BYTES} bytes`,
    );
  return data;
}

async function openLog<C>(
  plugin: Plugin<C>,
  io: PluginIo,
  rawConfig: Record<string, unknown> | undefined,
  env: RequestEnv,
): Promise<Logger> {
  const settings = logSettings(io.env, rawConfig);
  if (!settings) return noopLogger;
  const { createFileLogger } = await import('./file-logger.js');
  return createFileLogger({
    ...settings,
    // Since the process started (performance.now()'s origin): the runtime's own start-up counts,
    // and no clock is read before a log is wanted (on Node the first read loads perf_hooks).
    start: 0,
    context: {
      plugin: plugin.name,
      command: env.command,
      containerId: env.containerId,
      ifName: env.ifName,
    },
    onError: (err) =>
      io.writeStderr(`${plugin.name}: cannot write log ${settings.file}: ${message(err)}\n`),
  });
}

/** The result an ADD handler returned, checked and printed in the request's version. */
function renderResult(returned: unknown, cniVersion: string): string {
  let internal;
  try {
    internal = parseResult(returned, CURRENT_VERSION, { label: 'result returned by ADD' });
  } catch (err) {
    const cause = toCniError(err);
    throw new CniError(ErrorCode.Internal, `plugin bug: ${cause.msg}`, {
      details: cause.details,
      cause: err,
    });
  }
  return JSON.stringify(convertResult(internal, cniVersion)) + '\n';
}

const HANDLER_KEY = { ADD: 'add', DEL: 'del', CHECK: 'check', GC: 'gc', STATUS: 'status' } as const;

async function callHandler<C>(
  plugin: Plugin<C>,
  command: CniCommand,
  ctx: PluginContext<C>,
): Promise<string | undefined> {
  if (command === 'ADD')
    return plugin.add ? renderResult(await plugin.add(ctx), ctx.cniVersion) : undefined;
  // The other commands print nothing on success.
  await plugin[HANDLER_KEY[command]]?.(ctx);
  return undefined;
}

/** Runs the request through every check and the handler; returns what to print on stdout. */
async function dispatch<C>(
  plugin: Plugin<C>,
  io: PluginIo,
  state: RunState,
): Promise<string | undefined> {
  let env: RequestEnv;
  try {
    env = readRequestEnv(io.env);
  } catch (err) {
    // Run by hand without CNI_COMMAND: print what the plugin is instead of an error.
    if (!io.env.CNI_COMMAND && plugin.about) {
      io.writeStderr(aboutText(plugin));
      return undefined;
    }
    throw err;
  }
  state.log = await openLog(plugin, io, undefined, env);
  if (env.command === 'VERSION') return versionJson(plugin);

  const stdin = await readStdin(io);
  const rawConfig = decodeNetConf(stdin);
  const sentVersion = goField(rawConfig, 'cniVersion');
  if (typeof sentVersion === 'string' && sentVersion !== '') state.errorVersion = sentVersion;
  if (!state.log.enabled) state.log = await openLog(plugin, io, rawConfig, env);
  checkNetworkName(rawConfig);

  if (!COMMANDS.includes(env.command))
    throw new CniError(
      ErrorCode.InvalidEnvironmentVariables,
      `unknown CNI_COMMAND: ${env.command}`,
    );
  const command = env.command as CniCommand;
  const cniVersion = effectiveVersion(rawConfigVersion(rawConfig));
  checkVersionGates(command, cniVersion, plugin.supportedVersions);

  if (plugin[HANDLER_KEY[command]] === undefined) {
    if (command !== 'ADD') return undefined;
    throw new CniError(
      ErrorCode.InvalidEnvironmentVariables,
      `plugin ${plugin.name} does not implement ADD`,
      { details: 'CNI_COMMAND=ADD' },
    );
  }
  // Before the handler (Go checks after it): never touch the plugin's own namespace.
  if ((command === 'ADD' || command === 'DEL') && !isNetnsOverride(env.netnsOverride))
    await assertNotOwnNetns(env.netns, io.fileId);

  const ctx = await buildContext(plugin, {
    command,
    env,
    // Gates passed, so the version is one of the plugin's supported spec versions.
    cniVersion: cniVersion as SpecVersion,
    rawConfig,
    stdin,
    processEnv: io.env,
    log: state.log,
  });
  const step = state.log.step(`handler ${command}`);
  const stdout = await callHandler(plugin, command, ctx);
  step.end();
  return stdout;
}

/** Fills the parts of the io a caller did not give with the process-based ones. */
function withDefaults(io: Partial<PluginIo>): PluginIo {
  const fallback = processIo();
  return {
    env: io.env ?? fallback.env,
    readStdin: io.readStdin ?? fallback.readStdin,
    writeStdout: io.writeStdout ?? fallback.writeStdout,
    writeStderr: io.writeStderr ?? fallback.writeStderr,
    fileId: io.fileId,
  };
}

/**
 * Runs `plugin` for the CNI request described by `io` (default: this process's env, stdin, stdout
 * and stderr) and returns the exit code: 0 on success, 1 after printing a CNI error object on
 * stdout. It never calls `process.exit()` and resolves only once stdout is completely written, so a
 * bin entry is `process.exitCode = await runPlugin(plugin)`.
 */
export async function runPlugin<C>(plugin: Plugin<C>, io: Partial<PluginIo> = {}): Promise<number> {
  const full = withDefaults(io);
  const state: RunState = { log: noopLogger };
  let stdout: string | undefined;
  let exitCode = 0;
  try {
    stdout = await dispatch(plugin, full, state);
  } catch (err) {
    const error = toCniError(err);
    state.log.error('failed', { code: error.code, error: error.msg, details: error.details });
    stdout = JSON.stringify(error.toJSON(state.errorVersion)) + '\n';
    exitCode = 1;
  }
  try {
    if (stdout !== undefined) await full.writeStdout(stdout);
  } catch (err) {
    full.writeStderr(`${plugin.name}: cannot write to stdout: ${message(err)}\n`);
    exitCode = 1;
  }
  state.log.info('done', { exitCode });
  return exitCode;
}
