/**
 * The bridge plugin as a cni-skel plugin definition. The skel does the protocol (env, versions,
 * result conversion, errors); each handler loads the config with the reference's Go semantics.
 * ADD's main part, CHECK, STATUS and GC are imported on first use. DEL and ADD's first part
 * (which starts IPAM) are imported here: they are small, and in the executable every module chunk
 * a command loads costs about 1 ms, more than their code does.
 */
import { definePlugin, type Plugin, type PluginContext } from '@cnikit/cni-skel';
import { decodeNetConfForStatus, loadNetConf, type BridgeConf } from './config/netconf.js';
import { startAdd } from './commands/add-start.js';
import type { CommandContext } from './commands/command-context.js';
import { cmdDel } from './commands/del.js';
import { startLinkDelete } from './commands/del-start.js';
import type { BridgeRuntime } from './runtime/runtime.js';

/** The version printed in the about text. */
export const BRIDGE_PLUGIN_VERSION = '0.0.0';

/** Options of {@link createBridgePlugin}. */
export interface BridgePluginOptions {
  /** Makes the runtime on first use (default: the Node runtime). */
  runtime?: () => BridgeRuntime | Promise<BridgeRuntime>;
}

type RawConfig = Readonly<Record<string, unknown>>;

const decoder = new TextDecoder();

/** Creates the bridge plugin; run it with `runPlugin(createBridgePlugin())`. */
export function createBridgePlugin(options: BridgePluginOptions = {}): Plugin<RawConfig> {
  let runtime: Promise<BridgeRuntime> | undefined;
  const getRuntime = (): Promise<BridgeRuntime> =>
    (runtime ??= Promise.resolve(
      options.runtime
        ? options.runtime()
        : import('./runtime/node-runtime.js').then((m) => m.nodeRuntime()),
    ));

  const context = async (
    ctx: PluginContext<RawConfig>,
    conf: BridgeConf,
  ): Promise<CommandContext> => ({
    req: {
      containerId: ctx.containerId,
      netns: ctx.netns,
      ifName: ctx.ifName,
      stdin: decoder.decode(ctx.stdin),
      env: ctx.env,
      path: ctx.path,
      prevResult: ctx.prevResult,
      validAttachments: ctx.validAttachments.map((a) => ({
        containerID: a.containerID,
        ifname: a.ifname,
      })),
    },
    conf,
    rt: await getRuntime(),
    log: ctx.log,
  });
  const load = (ctx: PluginContext<RawConfig>): BridgeConf =>
    loadNetConf(decoder.decode(ctx.stdin), ctx.args.raw);

  return definePlugin<RawConfig>({
    name: 'bridge',
    about: `CNI bridge plugin (cnikit) v${BRIDGE_PLUGIN_VERSION}`,
    // The skel only checks that stdin is a JSON object; the handlers decode it as Go would.
    config: (raw) => raw,
    async add(ctx) {
      const c = await context(ctx, load(ctx));
      // IPAM starts before the rest of ADD loads (see add-start.ts).
      const started = await startAdd(c);
      const { cmdAdd } = await import('./commands/add.js');
      return cmdAdd(c, started);
    },
    async del(ctx) {
      const c = await context(ctx, load(ctx));
      // The link's deletion starts before the IPAM DEL and the rules (see del-start.ts).
      const link = await startLinkDelete(c);
      await cmdDel(c, link);
    },
    async check(ctx) {
      const c = await context(ctx, load(ctx));
      const { cmdCheck } = await import('./commands/check.js');
      await cmdCheck(c);
    },
    async status(ctx) {
      const decoded = decodeNetConfForStatus(decoder.decode(ctx.stdin));
      const c = await context(ctx, { ...loadNetConfDefaults(), ...decoded });
      const { cmdStatus } = await import('./commands/status.js');
      await cmdStatus(c);
    },
    async gc(ctx) {
      const c = await context(ctx, load(ctx));
      const { cmdGc } = await import('./commands/gc.js');
      await cmdGc(c);
    },
  });
}

/** The defaults STATUS's partial decode is completed with. */
function loadNetConfDefaults(): BridgeConf {
  return loadNetConf('{}');
}
