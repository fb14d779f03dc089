/**
 * Wire-shape schemas of results, one per family, used to validate a result before it is converted.
 * Lenient where the Go reference is (unknown keys ignored, null or "" optional fields read as unset),
 * strict where a bridge would otherwise misbehave (addresses must parse, numbers are unsigned ints).
 */
import * as z from 'zod/mini';
import { cidrFamily, ipFamily } from '../ip.js';

const cidr = z
  .string()
  .check(
    z.refine(
      (s) => cidrFamily(s) !== undefined,
      'expected an IP address with a prefix length ("10.1.0.5/16")',
    ),
  );
const ip = z
  .string()
  .check(z.refine((s) => s === '' || ipFamily(s) !== undefined, 'expected an IP address'));
const uint = z.int().check(z.nonnegative());
const optString = z.nullish(z.string());
const optStrings = z.nullish(z.array(z.string()));

/** DNS block of any result version. */
export const resultDnsSchema = z.object({
  nameservers: optStrings,
  domain: optString,
  search: optStrings,
  options: optStrings,
});

const route = z.object({
  dst: cidr,
  gw: z.nullish(ip),
  mtu: z.nullish(uint),
  advmss: z.nullish(uint),
  priority: z.nullish(uint),
  table: z.nullish(uint),
  scope: z.nullish(uint),
});

const interface100 = z.object({
  name: z.string(),
  mac: optString,
  mtu: z.nullish(uint),
  sandbox: optString,
  socketPath: optString,
  pciID: optString,
});

const ip100 = z.object({ address: cidr, gateway: z.nullish(ip), interface: z.nullish(uint) });

/** 1.0.0 / 1.1.0 result body (without cniVersion, which is checked before). */
export const result100Schema = z.object({
  interfaces: z.nullish(z.array(interface100)),
  ips: z.nullish(z.array(ip100)),
  routes: z.nullish(z.array(route)),
  dns: z.nullish(resultDnsSchema),
});

/** 0.3.0 / 0.3.1 / 0.4.0 result body: ips may carry a family `version`. */
export const result040Schema = z.object({
  interfaces: z.nullish(
    z.array(z.object({ name: z.string(), mac: optString, sandbox: optString })),
  ),
  ips: z.nullish(z.array(z.extend(ip100, { version: optString }))),
  routes: z.nullish(z.array(route)),
  dns: z.nullish(resultDnsSchema),
});

const ipConfig020 = z.object({
  ip: cidr,
  gateway: z.nullish(ip),
  routes: z.nullish(z.array(z.object({ dst: cidr, gw: z.nullish(ip) }))),
});

/** 0.1.0 / 0.2.0 result body. */
export const result020Schema = z.object({
  ip4: z.nullish(ipConfig020),
  ip6: z.nullish(ipConfig020),
  dns: z.nullish(resultDnsSchema),
});

export type Result100Body = z.output<typeof result100Schema>;
export type Result040Body = z.output<typeof result040Schema>;
export type Result020Body = z.output<typeof result020Schema>;
