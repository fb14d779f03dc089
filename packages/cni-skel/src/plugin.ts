/** A plugin's definition: its name, versions, config parser and one handler per command. */
import type { CniArgs } from './args.js';
import type { ConfigParser } from './config.js';
import type { CniCommand } from './env.js';
import type { Logger } from './logger.js';
import type { Result } from './result/types.js';
import type { Attachment, NetConf } from './schema.js';
import { ALL_VERSIONS, isSpecVersion, type SpecVersion } from './versions.js';

/** What every handler receives. Handlers never need `process`. */
export interface PluginContext<C> {
  /** The command being run. */
  readonly command: CniCommand;
  /** CNI_CONTAINERID ("" for GC and STATUS). */
  readonly containerId: string;
  /** CNI_NETNS ("" when unset, which DEL, GC and STATUS allow). */
  readonly netns: string;
  /** CNI_IFNAME ("" for GC and STATUS). */
  readonly ifName: string;
  /** CNI_ARGS: the raw string and a lenient parse; see `parseCniArgs` for the strict one. */
  readonly args: CniArgs;
  /** CNI_PATH split on ':' (empty entries dropped). */
  readonly path: readonly string[];
  /** The request's version: the config's cniVersion ("" read as "0.1.0"). ADD output is printed in it. */
  readonly cniVersion: string;
  /** The config as the plugin's parser returned it. */
  readonly config: C;
  /** The config object exactly as decoded from stdin. */
  readonly rawConfig: Readonly<Record<string, unknown>>;
  /** `prevResult` up-converted to the internal 1.1.0 form, when the config has one. */
  readonly prevResult?: Result;
  /** Stdin byte for byte, to hand to a delegate (IPAM) unchanged. */
  readonly stdin: Uint8Array;
  /** The whole environment the plugin got (delegates inherit it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** GC: the attachments still in use (`cni.dev/valid-attachments`; absent = none). Empty otherwise. */
  readonly validAttachments: readonly Attachment[];
  /** The operator log (a no-op unless configured). */
  readonly log: Logger;
}

type Awaitable<T> = T | Promise<T>;

/** What a plugin author writes. Missing handlers succeed silently, except ADD which fails. */
export interface PluginDefinition<C> {
  /** The plugin's name (its binary name, normally), used in logs and messages. */
  name: string;
  /** Printed with the supported versions on stderr when the plugin runs without CNI_COMMAND. */
  about?: string;
  /** The spec versions the plugin accepts, in VERSION output order; default all of them. */
  supportedVersions?: readonly string[];
  /** A zod schema (extend `netConfSchema`) or a function; default `netConfSchema`. */
  config?: ConfigParser<C>;
  /** ADD: returns the result in the internal 1.1.0 form; the skel converts and prints it. */
  add?(ctx: PluginContext<C>): Awaitable<Result>;
  del?(ctx: PluginContext<C>): Awaitable<void>;
  check?(ctx: PluginContext<C>): Awaitable<void>;
  status?(ctx: PluginContext<C>): Awaitable<void>;
  gc?(ctx: PluginContext<C>): Awaitable<void>;
}

/** A checked, frozen plugin definition, ready for `runPlugin` or `invokePlugin`. */
export interface Plugin<C> extends Readonly<Omit<PluginDefinition<C>, 'supportedVersions'>> {
  readonly supportedVersions: readonly SpecVersion[];
}

const HANDLERS = ['add', 'del', 'check', 'status', 'gc'] as const;

function checkVersions(versions: readonly string[]): readonly SpecVersion[] {
  if (versions.length === 0) throw new TypeError('supportedVersions must not be empty');
  for (const v of versions) {
    if (!isSpecVersion(v)) throw new TypeError(`supportedVersions: unknown CNI version "${v}"`);
  }
  if (new Set(versions).size !== versions.length)
    throw new TypeError('supportedVersions has duplicates');
  return Object.freeze([...versions] as SpecVersion[]);
}

/**
 * Checks and freezes a plugin definition. Throws TypeError for programming mistakes (empty name,
 * unknown or duplicate versions, a handler that is not a function), so they surface at start-up.
 */
export function definePlugin<C = NetConf>(def: PluginDefinition<C>): Plugin<C> {
  if (typeof def.name !== 'string' || def.name === '')
    throw new TypeError('plugin name must be a non-empty string');
  for (const key of HANDLERS) {
    if (def[key] !== undefined && typeof def[key] !== 'function')
      throw new TypeError(`plugin handler "${key}" must be a function`);
  }
  return Object.freeze({
    ...def,
    supportedVersions: checkVersions(def.supportedVersions ?? ALL_VERSIONS),
  });
}
