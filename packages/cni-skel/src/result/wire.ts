/**
 * The serialization rules of the Go reference (cni-spec.md §6), applied when a result is built:
 * empty arrays and empty strings are left out, `dns` is left out when all its fields are empty,
 * mtu/advmss/priority are left out when 0, but the interface index and route table/scope are kept
 * whenever set, including 0. Every function copies, so results never share arrays.
 */
import type { Dns, Interface, IpConfig, Route } from './types.js';

type Maybe<T> = T | null | undefined;

/** Any DNS-like input: a typed Dns or a freshly validated one (null = unset). */
export interface LooseDns {
  nameservers?: Maybe<readonly string[]>;
  domain?: Maybe<string>;
  search?: Maybe<readonly string[]>;
  options?: Maybe<readonly string[]>;
}

export interface LooseInterface {
  name: string;
  mac?: Maybe<string>;
  mtu?: Maybe<number>;
  sandbox?: Maybe<string>;
  socketPath?: Maybe<string>;
  pciID?: Maybe<string>;
}

export interface LooseIp {
  address: string;
  gateway?: Maybe<string>;
  interface?: Maybe<number>;
}

export interface LooseRoute {
  dst: string;
  gw?: Maybe<string>;
  mtu?: Maybe<number>;
  advmss?: Maybe<number>;
  priority?: Maybe<number>;
  table?: Maybe<number>;
  scope?: Maybe<number>;
}

const nonEmpty = (s: Maybe<string>): s is string => typeof s === 'string' && s !== '';
const positive = (n: Maybe<number>): n is number => typeof n === 'number' && n !== 0;
const isSet = (n: Maybe<number>): n is number => typeof n === 'number';

function strings(list: Maybe<readonly string[]>): string[] | undefined {
  return list && list.length > 0 ? [...list] : undefined;
}

/** The DNS block, or undefined when every field is empty. */
export function wireDns(dns: Maybe<LooseDns>): Dns | undefined {
  if (!dns) return undefined;
  const out: Dns = {};
  const nameservers = strings(dns.nameservers);
  const search = strings(dns.search);
  const options = strings(dns.options);
  if (nameservers) out.nameservers = nameservers;
  if (nonEmpty(dns.domain)) out.domain = dns.domain;
  if (search) out.search = search;
  if (options) out.options = options;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** An interface; `full` keeps the 1.1 fields (mtu, socketPath, pciID) that 0.x results lack. */
export function wireInterface(iface: LooseInterface, full: boolean): Interface {
  const out: Interface = { name: iface.name };
  if (nonEmpty(iface.mac)) out.mac = iface.mac;
  if (full && positive(iface.mtu)) out.mtu = iface.mtu;
  if (nonEmpty(iface.sandbox)) out.sandbox = iface.sandbox;
  if (full && nonEmpty(iface.socketPath)) out.socketPath = iface.socketPath;
  if (full && nonEmpty(iface.pciID)) out.pciID = iface.pciID;
  return out;
}

/** An IP entry without the 0.x `version` key. */
export function wireIp(ip: LooseIp): IpConfig {
  const out: IpConfig = { address: ip.address };
  if (nonEmpty(ip.gateway)) out.gateway = ip.gateway;
  if (isSet(ip.interface)) out.interface = ip.interface;
  return out;
}

/** A route; `full` keeps mtu/advmss/priority/table/scope, otherwise only dst and gw (0.1/0.2). */
export function wireRoute(route: LooseRoute, full: boolean): Route {
  const out: Route = { dst: route.dst };
  if (nonEmpty(route.gw)) out.gw = route.gw;
  if (!full) return out;
  if (positive(route.mtu)) out.mtu = route.mtu;
  if (positive(route.advmss)) out.advmss = route.advmss;
  if (positive(route.priority)) out.priority = route.priority;
  if (isSet(route.table)) out.table = route.table;
  if (isSet(route.scope)) out.scope = route.scope;
  return out;
}

/** Puts the parts together in the Go key order, leaving out empty lists and an empty dns. */
export function assemble<I, P, R>(
  cniVersion: string,
  parts: { interfaces?: I[]; ips?: P[]; routes?: R[]; dns?: Dns | undefined },
): { cniVersion: string; interfaces?: I[]; ips?: P[]; routes?: R[]; dns?: Dns } {
  const out: { cniVersion: string; interfaces?: I[]; ips?: P[]; routes?: R[]; dns?: Dns } = {
    cniVersion,
  };
  if (parts.interfaces && parts.interfaces.length > 0) out.interfaces = parts.interfaces;
  if (parts.ips && parts.ips.length > 0) out.ips = parts.ips;
  if (parts.routes && parts.routes.length > 0) out.routes = parts.routes;
  if (parts.dns) out.dns = parts.dns;
  return out;
}
