/**
 * host-local as a cnikit plugin: the skel decodes the request, these handlers resolve the config
 * and call the operation of the command (ipam.ts).
 */
import {
  ALL_VERSIONS,
  definePlugin,
  parseCniArgs,
  type Plugin,
  type PluginContext,
} from '@cnikit/cni-skel';
import {
  decodeNetConf,
  parseRequestedIp,
  resolveConfig,
  type HostLocalConfig,
  type HostLocalNetConf,
} from './config.js';
import { HostLocalError } from './errors.js';
import type { IpAddress } from './ip.js';
import { allocate, checkAvailability, collectGarbage, release, verify } from './ipam.js';
import { flockCommandLocker, type StoreLocker } from './lock.js';
import type { Attachment } from './reservation.js';

/** Options of {@link createHostLocalPlugin}. */
export interface HostLocalPluginOptions {
  /** How to take the store lock; default util-linux flock ({@link flockCommandLocker}). */
  locker?: StoreLocker;
}

/** The address CNI_ARGS `IP=` requests, with the reference's messages for bad input. */
export function requestedByCniArgs(raw: string): IpAddress | undefined {
  const text = parseCniArgs(raw, ['IP']).IP;
  if (text === undefined) return undefined;
  try {
    return parseRequestedIp(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HostLocalError('args', `ARGS: error parsing value of pair "IP=${text}": ${reason}`, {
      cause: error,
    });
  }
}

const attachmentOf = (ctx: PluginContext<HostLocalNetConf>): Attachment => ({
  containerId: ctx.containerId,
  ifName: ctx.ifName,
});

/** The config of an ADD, DEL or CHECK: CNI_ARGS may request an address. */
const attachmentConfig = (ctx: PluginContext<HostLocalNetConf>): HostLocalConfig =>
  resolveConfig(ctx.config, requestedByCniArgs(ctx.args.raw));

/** Builds the host-local plugin; pass a `locker` to replace the flock command (e.g. bun:ffi). */
export function createHostLocalPlugin(
  options: HostLocalPluginOptions = {},
): Plugin<HostLocalNetConf> {
  const deps = { locker: options.locker ?? flockCommandLocker() };
  return definePlugin<HostLocalNetConf>({
    name: 'host-local',
    about: 'CNI host-local IPAM plugin (cnikit)',
    supportedVersions: ALL_VERSIONS,
    config: (raw) => decodeNetConf(raw),
    add: (ctx) => allocate(attachmentConfig(ctx), attachmentOf(ctx), deps),
    del: async (ctx) => {
      await release(attachmentConfig(ctx), attachmentOf(ctx), deps);
    },
    check: (ctx) =>
      verify(attachmentConfig(ctx), attachmentOf(ctx), ctx.prevResult?.ips ?? [], deps),
    gc: async (ctx) => {
      const valid = ctx.validAttachments.map((a) => ({
        containerId: a.containerID,
        ifName: a.ifname,
      }));
      await collectGarbage(resolveConfig(ctx.config), valid, deps);
    },
    status: (ctx) => checkAvailability(resolveConfig(ctx.config)),
  });
}

/** host-local with the default lock. */
export const hostLocalPlugin: Plugin<HostLocalNetConf> = createHostLocalPlugin();
