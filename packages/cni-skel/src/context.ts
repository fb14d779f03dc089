/** Building the handler context from a checked request: typed config, prevResult, GC attachments. */
import * as z from 'zod/mini';
import { lenientCniArgs } from './args.js';
import { loadConfig } from './config.js';
import { splitCniPath, type CniCommand, type RequestEnv } from './env.js';
import { CniError, ErrorCode } from './errors.js';
import type { Logger } from './logger.js';
import type { Plugin, PluginContext } from './plugin.js';
import { parseResult, rawResultFamily } from './result/parse.js';
import type { Result } from './result/types.js';
import { validAttachmentsSchema, type Attachment } from './schema.js';
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
function loadValidAttachments(config: Record<string, unknown>): readonly Attachment[] {
  const key =
    'cni.dev/valid-attachments' in config ? 'cni.dev/valid-attachments' : 'cni.dev/attachments';
  const raw = config[key];
  if (raw === undefined || raw === null) return [];
  const parsed = z.safeParse(validAttachmentsSchema, raw);
  if (parsed.success) return parsed.data;
  const problems = formatIssues(
    parsed.error.issues.map((issue) => ({ ...issue, path: [key, ...issue.path] })),
  );
  throw new CniError(ErrorCode.InvalidNetworkConfig, `invalid network config: ${problems[0]}`, {
    details: problems.join('; '),
  });
}

/** Parses the config with the plugin's parser and assembles the handler's context. */
export function buildContext<C>(plugin: Plugin<C>, req: CheckedRequest): PluginContext<C> {
  const config = loadConfig(plugin.config, req.rawConfig);
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
    validAttachments: req.command === 'GC' ? loadValidAttachments(req.rawConfig) : [],
    log: req.log,
  };
  return Object.freeze(ctx);
}
