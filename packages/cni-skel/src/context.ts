/** Building the handler context from a checked request: typed config, prevResult, GC attachments. */
import { lenientCniArgs } from './args.js';
import { loadConfig, type ConfigParser } from './config.js';
import { splitCniPath, type CniCommand, type RequestEnv } from './env.js';
import { CniError, ErrorCode } from './errors.js';
import type { Logger } from './logger.js';
import type { Plugin, PluginContext } from './plugin.js';
import { parseResult, rawResultFamily } from './result/parse.js';
import type { Result } from './result/types.js';
import type { Attachment } from './schema.js';
import { formatIssues } from './schema-issues.js';
import { resultFamily, type SpecVersion } from './versions.js';

/** Everything the skel has checked about a request, before the handler's own config parsing. */
export interface CheckedRequest {
  command: CniCommand;
  env: RequestEnv;
  cniVersion: SpecVersion;
  rawConfig: Record<string, unknown>;
  stdin: Uint8Array;
  processEnv: Readonly<Record<string, string | undefined>>;
  log: Logger;
}

/** prevResult in the internal form; it must be in the same result family as the config (Go rule). */
function loadPrevResult(raw: unknown, cniVersion: SpecVersion): Result | undefined {
  if (raw === undefined || raw === null) return undefined;
  const family = rawResultFamily(raw, cniVersion, 'prevResult');
  if (family !== resultFamily(cniVersion))
    throw new CniError(
      ErrorCode.DecodingFailure,
      `invalid prevResult: its version does not match the config version ${cniVersion}`,
    );
  return parseResult(raw, cniVersion, { label: 'prevResult' });
}

/** GC's still-valid attachments; libcni also sends the older `cni.dev/attachments` key. */
async function loadValidAttachments(
  config: Record<string, unknown>,
): Promise<readonly Attachment[]> {
  const key =
    'cni.dev/valid-attachments' in config ? 'cni.dev/valid-attachments' : 'cni.dev/attachments';
  const raw = config[key];
  if (raw === undefined || raw === null) return [];
  const [{ validAttachmentsSchema }, { parseOnce }] = await Promise.all([
    import('./schema.js'),
    import('./zod-parse.js'),
  ]);
  const parsed = parseOnce(validAttachmentsSchema, raw);
  if (parsed.success) return parsed.data;
  const problems = formatIssues(
    parsed.error.issues.map((issue) => ({ ...issue, path: [key, ...issue.path] })),
  );
  throw new CniError(ErrorCode.InvalidNetworkConfig, `invalid network config: ${problems[0]}`, {
    details: problems.join('; '),
  });
}

/**
 * Without a parser of the plugin's the config is the common NetConf, which is what C defaults to.
 * The skel's schemas load only here: building them is most of a VERSION call's start-up.
 */
async function defaultParser<C>(): Promise<ConfigParser<C>> {
  const { netConfSchema } = await import('./schema.js');
  return netConfSchema as unknown as ConfigParser<C>;
}

/** Parses the config with the plugin's parser and assembles the handler's context. */
export async function buildContext<C>(
  plugin: Plugin<C>,
  req: CheckedRequest,
): Promise<PluginContext<C>> {
  const config = await loadConfig(plugin.config ?? (await defaultParser<C>()), req.rawConfig);
  const prevResult = loadPrevResult(req.rawConfig.prevResult, req.cniVersion);
  const ctx: PluginContext<C> = {
    command: req.command,
    containerId: req.env.containerId,
    netns: req.env.netns,
    ifName: req.env.ifName,
    args: lenientCniArgs(req.env.args),
    path: Object.freeze(splitCniPath(req.env.path)),
    cniVersion: req.cniVersion,
    config,
    rawConfig: req.rawConfig,
    ...(prevResult ? { prevResult } : {}),
    stdin: req.stdin,
    env: req.processEnv,
    validAttachments: req.command === 'GC' ? await loadValidAttachments(req.rawConfig) : [],
    log: req.log,
  };
  return Object.freeze(ctx);
}
