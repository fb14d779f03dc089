/**
 * "passthrough": the smallest useful CNI plugin. In a chain it hands the previous plugin's result
 * on unchanged; it creates nothing, so DEL and GC have nothing to undo. It exists to show every
 * part of @cnikit/cni-skel: a config schema, all five handlers, typed errors and the log.
 */
import { CniError, definePlugin, ErrorCode, netConfSchema, z } from '@cnikit/cni-skel';

/** The plugin's config: the common keys plus two of its own. */
export const passthroughConfSchema = z.extend(netConfSchema, {
  /** Refuse ADD when there is no prevResult (the plugin is meant to run after another one). */
  requirePrevResult: z._default(z.boolean(), false),
  /** Answer STATUS with "not available" (code 50) when false: lets operators drain a node. */
  available: z._default(z.boolean(), true),
});

/** The validated config handlers receive. */
export type PassthroughConf = z.output<typeof passthroughConfSchema>;

/** The plugin definition; `src/main.ts` runs it. */
export const passthroughPlugin = definePlugin({
  name: 'passthrough',
  about: 'cnikit example plugin "passthrough"',
  config: passthroughConfSchema,

  add(ctx) {
    if (ctx.prevResult) {
      ctx.log.info('passing prevResult through', { ips: ctx.prevResult.ips?.length ?? 0 });
      return ctx.prevResult;
    }
    if (ctx.config.requirePrevResult)
      throw new CniError(ErrorCode.InvalidNetworkConfig, 'prevResult required', {
        details:
          'requirePrevResult is set: run passthrough after a plugin that creates the interface',
      });
    // First in a chain: nothing created, nothing to report.
    return { cniVersion: '1.1.0' };
  },

  del(ctx) {
    // Nothing was created, so there is nothing to remove; DEL must still succeed every time.
    ctx.log.debug('nothing to delete');
  },

  check(ctx) {
    if (!ctx.prevResult)
      throw new CniError(ErrorCode.InvalidNetworkConfig, 'required prevResult missing');
  },

  status(ctx) {
    if (!ctx.config.available)
      throw new CniError(ErrorCode.PluginNotAvailable, 'passthrough is switched off', {
        details: 'the network config sets "available": false',
      });
  },

  gc(ctx) {
    // Stateless: no stale reservations to collect. A real plugin would remove whatever belongs to
    // attachments missing from ctx.validAttachments.
    ctx.log.info('gc', { validAttachments: ctx.validAttachments.length });
  },
});
