/** Typed routes from `ip -details -json route show table all`. */
import { formatCidr, formatIp, tryParseCidr, tryParseIp, type IpFamily } from '../ip-address.js';
import { isObject, num, str, strings, topArray, type JsonObject } from './json-fields.js';

/** One next hop of a multipath route. */
export interface NextHop {
  readonly gateway: string | undefined;
  readonly dev: string | undefined;
  readonly weight: number | undefined;
}

/** A route as netops reads it. */
export interface RouteInfo {
  readonly family: IpFamily;
  /** Canonical destination CIDR; the default route is `0.0.0.0/0` or `::/0`. */
  readonly dst: string;
  /** `unicast`, `local`, `broadcast`, `multicast`, `blackhole`... */
  readonly type: string;
  readonly gateway: string | undefined;
  readonly dev: string | undefined;
  /** `main`, `local` or the table number as text. */
  readonly table: string;
  readonly metric: number | undefined;
  readonly scope: string | undefined;
  readonly protocol: string | undefined;
  readonly prefsrc: string | undefined;
  readonly mtu: number | undefined;
  readonly advmss: number | undefined;
  readonly flags: readonly string[];
  /** For multipath routes; empty otherwise. */
  readonly nexthops: readonly NextHop[];
}

function canonicalIpText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ip = tryParseIp(text);
  return ip ? formatIp(ip) : text;
}

function familyOfRoute(o: JsonObject, dst: string, gateways: readonly string[]): IpFamily {
  if (dst.includes(':') || gateways.some((g) => g.includes(':'))) return 6;
  // iproute2 prints the router preference ("pref") only for IPv6 routes.
  if (dst === 'default' && str(o, 'pref') !== undefined) return 6;
  return 4;
}

function metricsOf(o: JsonObject): { mtu?: number; advmss?: number } {
  const m = o.metrics;
  const out: { mtu?: number; advmss?: number } = {};
  if (!Array.isArray(m)) return out;
  for (const entry of m.filter(isObject)) {
    out.mtu ??= num(entry, 'mtu');
    out.advmss ??= num(entry, 'advmss');
  }
  return out;
}

/** Parses one route entry; undefined when its destination cannot be understood. */
export function parseRoute(o: JsonObject): RouteInfo | undefined {
  const dstText = str(o, 'dst');
  if (dstText === undefined) return undefined;
  const nexthops: NextHop[] = Array.isArray(o.nexthops)
    ? o.nexthops.filter(isObject).map((h) => ({
        gateway: canonicalIpText(str(h, 'gateway')),
        dev: str(h, 'dev'),
        weight: num(h, 'weight'),
      }))
    : [];
  const gateway = canonicalIpText(str(o, 'gateway'));
  const gateways = [gateway, ...nexthops.map((h) => h.gateway)].filter(
    (g): g is string => g !== undefined,
  );
  const family = familyOfRoute(o, dstText, gateways);
  let dst: string;
  if (dstText === 'default') dst = family === 4 ? '0.0.0.0/0' : '::/0';
  else {
    const cidr =
      tryParseCidr(dstText) ??
      (() => {
        const ip = tryParseIp(dstText);
        return ip ? { address: ip, prefixLength: ip.family === 4 ? 32 : 128 } : undefined;
      })();
    if (!cidr) return undefined;
    dst = formatCidr(cidr);
  }
  const metrics = metricsOf(o);
  return {
    family,
    dst,
    type: str(o, 'type') ?? 'unicast',
    gateway,
    dev: str(o, 'dev'),
    table: str(o, 'table') ?? String(num(o, 'table') ?? 'main'),
    metric: num(o, 'metric'),
    scope: str(o, 'scope'),
    protocol: str(o, 'protocol'),
    prefsrc: canonicalIpText(str(o, 'prefsrc')),
    mtu: metrics.mtu,
    advmss: metrics.advmss,
    flags: strings(o, 'flags'),
    nexthops,
  };
}

/** Parses the whole array of a route show. */
export function parseRoutes(json: unknown): RouteInfo[] {
  return topArray(json, 'route').flatMap((o) => parseRoute(o) ?? []);
}
