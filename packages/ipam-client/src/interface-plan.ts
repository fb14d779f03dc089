/**
 * What applying a result to one container interface means, as pure data: the reference's
 * ConfigureIface decisions (which addresses, whether IPv6 must be enabled, which gateway each
 * route takes, whether addresses must settle) made and validated before anything runs.
 */
import type { IpConfig, Result, Route } from '@cnikit/cni-skel';
import { tryParseCidr, tryParseIp, type IpFamily } from '@cnikit/netops';
import { IpamError } from './errors.js';

/** An IP family. */
export type Family = IpFamily;

/** An address to add to the interface. */
export interface PlannedAddress {
  /** Address with prefix length, host bits kept ("10.1.0.5/16"). */
  cidr: string;
  family: Family;
}

/** A route to add through the interface (with create-not-exclusive semantics, for ECMP). */
export interface PlannedRoute {
  dst: string;
  family: Family;
  /** The route's gateway, or the first gateway of its family among the addresses. */
  via?: string;
  /** The result's `priority`. */
  metric?: number;
  table?: number;
  scope?: number;
}

/** Everything {@link configureInterface} does to one interface, in order. */
export interface InterfacePlan {
  ifName: string;
  /** An IPv6 address is present: enable IPv6 on lo and the interface, keep addresses on down. */
  enableIpv6: boolean;
  addresses: PlannedAddress[];
  routes: PlannedRoute[];
  /** An IPv6 gateway is present: wait for DAD to finish before adding routes. */
  settle: boolean;
}

/**
 * Plans the configuration of `ifName` from a 1.x result. Only IPs whose `interface` index points
 * at an interface named `ifName` are applied; IPs without an index are skipped (as the reference
 * does); an index that is out of range or names another interface is an error.
 *
 * @throws {@link IpamError} (reason `configure`) for a result that cannot be applied.
 */
export function planInterface(ifName: string, result: Result): InterfacePlan {
  const interfaces = result.interfaces ?? [];
  if (interfaces.length === 0) throw configureError('no interfaces to configure');

  const addresses: PlannedAddress[] = [];
  const firstGateway = new Map<Family, string>();
  for (const ip of result.ips ?? []) {
    if (ip.interface === undefined) continue;
    const index = ip.interface;
    if (!Number.isInteger(index) || index < 0 || interfaces[index]?.name !== ifName)
      throw addressError(ip, ifName, 'invalid interface index');
    const family = cidrFamily(ip.address);
    if (family === undefined) throw addressError(ip, ifName, 'invalid CIDR address');
    addresses.push({ cidr: ip.address, family });

    if (ip.gateway !== undefined) {
      const gwFamily = ipFamily(ip.gateway);
      if (gwFamily === undefined) throw addressError(ip, ifName, 'invalid gateway');
      if (!firstGateway.has(gwFamily)) firstGateway.set(gwFamily, ip.gateway);
    }
  }

  const routes = (result.routes ?? []).map((route) => planRoute(route, ifName, firstGateway));
  return {
    ifName,
    enableIpv6: addresses.some((a) => a.family === 6),
    addresses,
    routes,
    settle: firstGateway.has(6),
  };
}

function planRoute(route: Route, ifName: string, gateways: Map<Family, string>): PlannedRoute {
  const family = cidrFamily(route.dst);
  if (family === undefined) throw routeError(route, ifName, 'invalid destination');
  const via = route.gw ?? gateways.get(family);
  if (via !== undefined && ipFamily(via) !== family)
    throw routeError(route, ifName, 'gateway is not of the destination family');
  const planned: PlannedRoute = { dst: route.dst, family };
  if (via !== undefined) planned.via = via;
  // Go sets the metric only when non-zero; table and scope whenever present (0 is meaningful).
  if (route.priority !== undefined && route.priority !== 0)
    planned.metric = checkedUint(route.priority, 'priority', route, ifName);
  if (route.table !== undefined) planned.table = checkedUint(route.table, 'table', route, ifName);
  if (route.scope !== undefined) {
    planned.scope = checkedUint(route.scope, 'scope', route, ifName);
    if (planned.scope > 255) throw routeError(route, ifName, 'invalid scope');
  }
  return planned;
}

function checkedUint(value: number, what: string, route: Route, ifName: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff)
    throw routeError(route, ifName, `invalid ${what}`);
  return value;
}

/** The family of "addr/len" with a prefix length valid for it, else undefined. */
function cidrFamily(cidr: string): Family | undefined {
  return tryParseCidr(cidr)?.address.family;
}

/** The family of a bare address (no zone, no prefix), else undefined. */
function ipFamily(address: string): Family | undefined {
  return tryParseIp(address)?.family;
}

function configureError(msg: string): IpamError {
  return new IpamError('configure', msg);
}

function addressError(ip: IpConfig, ifName: string, why: string): IpamError {
  return configureError(`failed to add IP addr ${JSON.stringify(ip)} to "${ifName}": ${why}`);
}

function routeError(route: Route, ifName: string, why: string): IpamError {
  return configureError(`failed to add route ${JSON.stringify(route)} via "${ifName}": ${why}`);
}
