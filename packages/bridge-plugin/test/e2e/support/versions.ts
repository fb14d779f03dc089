/**
 * Spec versions the scenarios run at, and a version-independent view of an ADD result so one
 * assertion serves the legacy ip4/ip6 shape (0.1/0.2) and the interfaces/ips shape (0.3+).
 */
import { ALL_VERSIONS, type SpecVersion } from '@cnikit/cni-skel';
import { CANDIDATE_IS_REFERENCE } from './bridge-binary.js';

export { ALL_VERSIONS, type SpecVersion };

/** Versions 0.1.0 .. 1.1.0; the reference 1.1.1 stops at 1.0.0, so 1.1.0 is left out for it. */
export const VERSIONS: readonly SpecVersion[] = ALL_VERSIONS.filter(
  (v) => !(CANDIDATE_IS_REFERENCE && v === '1.1.0'),
);

/** A few versions (one per result family plus the newest) for the expensive scenarios. */
export const FEW_VERSIONS: readonly SpecVersion[] = VERSIONS.filter((v) =>
  ['0.2.0', '0.4.0', '1.0.0', '1.1.0'].includes(v),
);

/** Versions with CHECK (0.4.0 and later). */
export const CHECK_VERSIONS: readonly SpecVersion[] = VERSIONS.filter((v) => supportsCheck(v));

/** 0.1.0 and 0.2.0: results have ip4/ip6, no interfaces, at most one address per family. */
export function isLegacy(v: SpecVersion): boolean {
  return v === '0.1.0' || v === '0.2.0';
}

/** CHECK exists from 0.4.0. */
export function supportsCheck(v: SpecVersion): boolean {
  return !isLegacy(v) && v !== '0.3.0' && v !== '0.3.1';
}

/** One IP of a result, whatever its shape. */
export interface IpView {
  address: string;
  gateway?: string;
  /** Only in 0.3.x/0.4.0 results. */
  version?: string;
  interface?: number;
}

/** A route of a result. */
export interface RouteView {
  dst: string;
  gw?: string;
}

/** An interface of a result. */
export interface InterfaceView {
  name: string;
  mac?: string;
  sandbox?: string;
}

/** The parts of an ADD result the scenarios check. */
export interface ResultView {
  cniVersion: string;
  interfaces: InterfaceView[] | undefined;
  ips: IpView[];
  routes: RouteView[];
  dns: { nameservers?: string[]; domain?: string; search?: string[] } | undefined;
}

interface LegacyIp {
  ip: string;
  gateway?: string;
  routes?: RouteView[];
}

/** Reads an ADD result of any version into one view; throws when the shape is wrong for it. */
export function viewResult(version: SpecVersion, json: unknown): ResultView {
  if (typeof json !== 'object' || json === null) throw new Error(`not a result: ${String(json)}`);
  const r = json as Record<string, unknown>;
  if (isLegacy(version)) {
    if ('interfaces' in r || 'ips' in r) throw new Error(`${version} result has 0.3+ keys`);
    const ips: IpView[] = [];
    const routes: RouteView[] = [];
    for (const key of ['ip4', 'ip6']) {
      const ip = r[key] as LegacyIp | undefined;
      if (!ip) continue;
      ips.push(
        ip.gateway === undefined ? { address: ip.ip } : { address: ip.ip, gateway: ip.gateway },
      );
      routes.push(...(ip.routes ?? []));
    }
    return {
      cniVersion: String(r.cniVersion),
      interfaces: undefined,
      ips,
      routes,
      dns: r.dns as ResultView['dns'],
    };
  }
  if ('ip4' in r || 'ip6' in r) throw new Error(`${version} result has legacy keys`);
  return {
    cniVersion: String(r.cniVersion),
    interfaces: r.interfaces as InterfaceView[] | undefined,
    ips: (r.ips as IpView[] | undefined) ?? [],
    routes: (r.routes as RouteView[] | undefined) ?? [],
    dns: r.dns as ResultView['dns'],
  };
}

/** True for an IPv6 CIDR or address. */
export function isV6(address: string): boolean {
  return address.includes(':');
}
