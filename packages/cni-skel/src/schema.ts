/**
 * zod/mini schemas of the common network configuration (cni-spec.md §3) and the runtimeConfig /
 * args conventions (§3.4). Every object is loose: unknown keys are kept, as the spec requires
 * runtimes and plugins to pass them through. Plugins extend them:
 *
 * ```ts
 * const myConf = z.extend(netConfSchema, { mtu: z.optional(z.int()) });
 * ```
 */
import * as z from 'zod/mini';

const strings = z.array(z.string());

/** The `dns` block of a network config (not the runtimeConfig one, whose names differ). */
export const dnsSchema = z.looseObject({
  nameservers: z.optional(strings),
  domain: z.optional(z.string()),
  search: z.optional(strings),
  options: z.optional(strings),
});

/** `ipam`: its `type` names the IPAM plugin; every other key belongs to that plugin. */
export const ipamSchema = z.looseObject({ type: z.optional(z.string()) });

/** One entry of the `portMappings` capability. */
export const portMappingSchema = z.looseObject({
  hostPort: z.int(),
  containerPort: z.int(),
  protocol: z.optional(z.string()),
  hostIP: z.optional(z.string()),
});

/** The `bandwidth` capability: rates in bit/s, bursts in bits. */
export const bandwidthSchema = z.looseObject({
  ingressRate: z.optional(z.number()),
  ingressBurst: z.optional(z.number()),
  egressRate: z.optional(z.number()),
  egressBurst: z.optional(z.number()),
});

/** One range of the `ipRanges` capability (host-local `ranges` format). */
export const ipRangeSchema = z.looseObject({
  subnet: z.string(),
  rangeStart: z.optional(z.string()),
  rangeEnd: z.optional(z.string()),
  gateway: z.optional(z.string()),
});

/** The `dns` capability: note servers/searches, not nameservers/search. */
export const runtimeDnsSchema = z.looseObject({
  servers: z.optional(strings),
  searches: z.optional(strings),
  options: z.optional(strings),
});

/** `runtimeConfig`: the capability arguments the runtime inserted (CONVENTIONS.md). */
export const runtimeConfigSchema = z.looseObject({
  portMappings: z.optional(z.array(portMappingSchema)),
  ipRanges: z.optional(z.array(z.array(ipRangeSchema))),
  bandwidth: z.optional(bandwidthSchema),
  dns: z.optional(runtimeDnsSchema),
  ips: z.optional(strings),
  mac: z.optional(z.string()),
  infinibandGUID: z.optional(z.string()),
  deviceID: z.optional(z.string()),
  aliases: z.optional(strings),
  cgroupPath: z.optional(z.string()),
});

/** `args`: runtime-generated; the `cni` namespace holds the conventional keys. */
export const argsSchema = z.looseObject({
  cni: z.optional(
    z.looseObject({
      ips: z.optional(strings),
      mac: z.optional(z.string()),
      labels: z.optional(z.array(z.looseObject({ key: z.string(), value: z.string() }))),
    }),
  ),
});

/** One `{containerID, ifname}` entry of GC's `cni.dev/valid-attachments`. */
export const attachmentSchema = z.looseObject({ containerID: z.string(), ifname: z.string() });

/** The list GC receives under `cni.dev/valid-attachments`. */
export const validAttachmentsSchema = z.array(attachmentSchema);

/** The common keys of a plugin's network config; extend it with the plugin's own fields. */
export const netConfSchema = z.looseObject({
  cniVersion: z.optional(z.string()),
  name: z.string(),
  type: z.optional(z.string()),
  capabilities: z.optional(z.record(z.string(), z.boolean())),
  ipam: z.optional(ipamSchema),
  dns: z.optional(dnsSchema),
  ipMasq: z.optional(z.boolean()),
  runtimeConfig: z.optional(runtimeConfigSchema),
  args: z.optional(argsSchema),
  prevResult: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  'cni.dev/valid-attachments': z.optional(validAttachmentsSchema),
});

export type NetConf = z.output<typeof netConfSchema>;
export type NetConfDns = z.output<typeof dnsSchema>;
export type IpamConf = z.output<typeof ipamSchema>;
export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
export type PortMapping = z.output<typeof portMappingSchema>;
export type Bandwidth = z.output<typeof bandwidthSchema>;
export type IpRange = z.output<typeof ipRangeSchema>;
export type RuntimeDns = z.output<typeof runtimeDnsSchema>;
export type ConfArgs = z.output<typeof argsSchema>;
export type Attachment = z.output<typeof attachmentSchema>;
