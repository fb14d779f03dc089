/**
 * Conversion between result versions, following the Go reference's converters (cni-spec.md §1.2):
 * same-family conversions only change `cniVersion`; others go through the internal 1.1.0 form.
 * Down-conversion to 0.1.0/0.2.0 is lossy and fails when no IP address is left.
 */
import { CniError, ErrorCode } from '../errors.js';
import { cidrFamily } from '../ip.js';
import {
  CURRENT_VERSION,
  DEFAULT_VERSION,
  isSpecVersion,
  resultFamily,
  type ResultFamily,
} from '../versions.js';
import type { AnyResult, IpConfig020, Result, Result020, Result040, Route } from './types.js';
import {
  assemble,
  wireDns,
  wireInterface,
  wireIp,
  wireRoute,
  type LooseDns,
  type LooseInterface,
  type LooseIp,
  type LooseRoute,
} from './wire.js';

type Maybe<T> = T | null | undefined;

/** A 1.x or 0.3/0.4 body: typed, or straight out of validation. */
interface LooseRich {
  interfaces?: Maybe<readonly LooseInterface[]>;
  ips?: Maybe<ReadonlyArray<LooseIp & { version?: Maybe<string> }>>;
  routes?: Maybe<readonly LooseRoute[]>;
  dns?: Maybe<LooseDns>;
}

interface LooseIpConfig020 {
  ip: string;
  gateway?: Maybe<string>;
  routes?: Maybe<ReadonlyArray<{ dst: string; gw?: Maybe<string> }>>;
}

interface LooseLegacy {
  ip4?: Maybe<LooseIpConfig020>;
  ip6?: Maybe<LooseIpConfig020>;
  dns?: Maybe<LooseDns>;
}

/** A body of some family, typed loosely enough for both typed results and validated input. */
export type LooseBody = LooseRich | LooseLegacy;

// Go: "4" when the address parses as IPv4, "6" otherwise.
const familyOf = (cidr: string): '4' | '6' => (cidrFamily(cidr) === 4 ? '4' : '6');

function richToInternal(body: LooseRich, full: boolean): Result {
  return assemble(CURRENT_VERSION, {
    interfaces: body.interfaces?.map((i) => wireInterface(i, full)),
    ips: body.ips?.map(wireIp),
    routes: body.routes?.map((r) => wireRoute(r, true)),
    dns: wireDns(body.dns),
  });
}

function legacyToInternal(body: LooseLegacy): Result {
  const ips = [];
  const routes: Route[] = [];
  for (const config of [body.ip4, body.ip6]) {
    if (!config) continue;
    ips.push(wireIp({ address: config.ip, gateway: config.gateway }));
    for (const r of config.routes ?? []) routes.push(wireRoute(r, false));
  }
  return assemble(CURRENT_VERSION, { ips, routes, dns: wireDns(body.dns) });
}

/** Up-converts a body of the given family to the internal 1.1.0 result (normalized). */
export function toInternal(body: LooseBody, family: ResultFamily): Result {
  if (family === '020') return legacyToInternal(body);
  return richToInternal(body, family === '100');
}

function to040(result: LooseRich, cniVersion: string, keepVersion: boolean): Result040 {
  return assemble(cniVersion, {
    interfaces: result.interfaces?.map((i) => wireInterface(i, false)),
    ips: result.ips?.map((ip) => ({
      version:
        keepVersion && (ip.version === '4' || ip.version === '6')
          ? ip.version
          : familyOf(ip.address),
      ...wireIp(ip),
    })),
    routes: result.routes?.map((r) => wireRoute(r, true)),
    dns: wireDns(result.dns),
  });
}

function legacyCopy(config: LooseIpConfig020): IpConfig020 {
  const out: IpConfig020 = { ip: config.ip };
  if (config.gateway) out.gateway = config.gateway;
  const routes = config.routes?.map((r) => wireRoute(r, false));
  if (routes && routes.length > 0) out.routes = routes;
  return out;
}

function withLegacy(
  cniVersion: string,
  ip4: IpConfig020 | undefined,
  ip6: IpConfig020 | undefined,
  dns: Maybe<LooseDns>,
): Result020 {
  const out: Result020 = { cniVersion };
  if (ip4) out.ip4 = ip4;
  if (ip6) out.ip6 = ip6;
  const wired = wireDns(dns);
  if (wired) out.dns = wired;
  return out;
}

function to020(result: LooseRich, cniVersion: string): Result020 {
  let ip4: IpConfig020 | undefined;
  let ip6: IpConfig020 | undefined;
  for (const ip of result.ips ?? []) {
    // Only the first address of each family fits the legacy shape; the rest is lost.
    const config = () =>
      ip.gateway ? { ip: ip.address, gateway: ip.gateway } : { ip: ip.address };
    if (familyOf(ip.address) === '4') ip4 ??= config();
    else ip6 ??= config();
  }
  for (const route of result.routes ?? []) {
    const target = familyOf(route.dst) === '4' ? ip4 : ip6;
    if (target) (target.routes ??= []).push(wireRoute(route, false));
  }
  if (!ip4 && !ip6)
    throw new CniError(ErrorCode.IncompatibleCniVersion, 'cannot convert: no valid IP addresses', {
      details: `a result without IP addresses cannot be expressed as CNI ${cniVersion}`,
    });
  return withLegacy(cniVersion, ip4, ip6, result.dns);
}

/** Version of a result, with "" or a missing one read as its shape's highest version (Go rule). */
function sourceVersion(result: AnyResult): string {
  if (typeof result.cniVersion === 'string' && result.cniVersion !== '') return result.cniVersion;
  if ('ip4' in result || 'ip6' in result) return '0.2.0';
  const ips = (result as LooseRich).ips;
  return ips?.some((ip) => ip.version != null) ? '0.4.0' : CURRENT_VERSION;
}

/**
 * Converts a result of any version to `toVersion` ("" means 0.1.0), following cni-spec.md §1.2
 * and serialized by the §6 rules. Throws CniError code 1 for an unknown version ("no converter for
 * CNI result version X to Y") and for a result without IPs asked for as 0.1.0/0.2.0 ("cannot
 * convert: no valid IP addresses").
 */
export function convertResult(
  result: AnyResult,
  toVersion: string,
): Result | Result040 | Result020 {
  const from = sourceVersion(result);
  const to = toVersion === '' ? DEFAULT_VERSION : toVersion;
  if (!isSpecVersion(from) || !isSpecVersion(to))
    throw new CniError(
      ErrorCode.IncompatibleCniVersion,
      `no converter for CNI result version ${from} to ${to}`,
    );
  const fromFamily = resultFamily(from);
  const toFamily = resultFamily(to);
  if (fromFamily === '020' && toFamily === '020') {
    const legacy = result as LooseLegacy;
    const copy = (c: Maybe<LooseIpConfig020>) => (c ? legacyCopy(c) : undefined);
    return withLegacy(to, copy(legacy.ip4), copy(legacy.ip6), legacy.dns);
  }
  if (fromFamily === '040' && toFamily === '040') return to040(result, to, true);
  const internal = toInternal(result, fromFamily);
  if (toFamily === '100') return { ...internal, cniVersion: to };
  if (toFamily === '040') return to040(internal, to, false);
  return to020(internal, to);
}
