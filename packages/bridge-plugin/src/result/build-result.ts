/**
 * The ADD result: interfaces [bridge, host veth, container (+ VLAN gateway)], the IPs pointing at
 * the container interface, the routes, and the DNS (the config's when set, else the IPAM's). With a
 * prevResult (chained ADD) the bridge's part is appended to it, its interface indexes offset, as
 * the spec requires (the reference drops prevResult).
 */
import type { Dns, Interface, IpConfig, Result, Route } from '@cnikit/cni-skel';
import { hasDns } from '../config/netconf.js';

/** What the bridge itself produced. */
export interface BridgePart {
  bridge: Interface;
  hostVeth: Interface;
  container: Interface;
  /** The `<bridge>.<vlan>` gateway interface, when one carries the gateway. */
  vlanGateway?: Interface | undefined;
  ips: IpConfig[];
  routes: Route[];
  /** The IPAM's DNS. */
  ipamDns?: Dns | undefined;
  /** The config's `dns` (wins when any field is set). */
  confDns: Dns;
}

/** The internal (1.1.0) result of this ADD, merged after `prev` when given. */
export function buildResult(part: BridgePart, prev?: Result): Result {
  const own: Interface[] = [part.bridge, part.hostVeth, part.container];
  if (part.vlanGateway) own.push(part.vlanGateway);
  const offset = prev?.interfaces?.length ?? 0;
  const ips = part.ips.map((ip) =>
    ip.interface === undefined ? ip : { ...ip, interface: ip.interface + offset },
  );
  const dns = hasDns(part.confDns) ? part.confDns : (part.ipamDns ?? prev?.dns);
  const result: Result = { cniVersion: '1.1.0' };
  const interfaces = [...(prev?.interfaces ?? []), ...own];
  const allIps = [...(prev?.ips ?? []), ...ips];
  const routes = [...(prev?.routes ?? []), ...part.routes];
  if (interfaces.length > 0) result.interfaces = interfaces;
  if (allIps.length > 0) result.ips = allIps;
  if (routes.length > 0) result.routes = routes;
  if (dns !== undefined && hasDns(dns)) result.dns = dns;
  return result;
}
