/**
 * Gateway decisions of an L3 ADD, as the reference makes them: every IP points at the container
 * interface, a missing gateway becomes the network's first host (isGateway), a default route per
 * family is added unless one with a gateway exists (isDefaultGateway), and the bridge gets
 * `gateway/prefix` for each IP (isGateway).
 */
import type { IpConfig, Result, Route } from '@cnikit/cni-skel';
import {
  cidrFirstHost,
  formatCidr,
  formatIp,
  tryParseCidr,
  tryParseIp,
  type IpFamily,
} from '@cnikit/netops';
import { BridgeError } from '../errors.js';

/** Index of the container interface in the bridge's own result (bridge, host veth, container). */
export const CONTAINER_INTERFACE_INDEX = 2;

/** The gateway side of a result: the IPs and routes to report, and the bridge's addresses. */
export interface GatewayPlan {
  ips: IpConfig[];
  routes: Route[];
  /** `gateway/prefix` per family, in IP order, for the bridge (or the VLAN gateway interface). */
  bridgeAddresses: Record<IpFamily, string[]>;
}

const DEFAULT_DST: Record<IpFamily, string> = { 4: '0.0.0.0/0', 6: '::/0' };

/**
 * Applies the reference's gateway rules to an IPAM result (1.x).
 * @throws BridgeError for an address that is not a CIDR.
 */
export function planGateways(
  result: Pick<Result, 'ips' | 'routes'>,
  options: { isGateway: boolean; isDefaultGateway: boolean },
): GatewayPlan {
  const isGateway = options.isGateway || options.isDefaultGateway;
  const routes: Route[] = [...(result.routes ?? [])];
  const defaultFound: Record<IpFamily, boolean> = { 4: false, 6: false };
  const bridgeAddresses: Record<IpFamily, string[]> = { 4: [], 6: [] };
  const ips: IpConfig[] = [];

  for (const ip of result.ips ?? []) {
    const cidr = tryParseCidr(ip.address);
    if (cidr === undefined) throw new BridgeError(`Unknown IP object: ${JSON.stringify(ip)}`);
    const family = cidr.address.family;
    const out: IpConfig = { ...ip, interface: CONTAINER_INTERFACE_INDEX };
    if (out.gateway === undefined && isGateway) out.gateway = formatIp(cidrFirstHost(cidr).address);
    if (options.isDefaultGateway && !defaultFound[family]) {
      defaultFound[family] = routes.some((r) => r.gw !== undefined && isDefault(r.dst, family));
      if (!defaultFound[family]) {
        const route: Route = { dst: DEFAULT_DST[family] };
        if (out.gateway !== undefined) route.gw = out.gateway;
        routes.push(route);
        defaultFound[family] = true;
      }
    }
    if (isGateway && out.gateway !== undefined) {
      const gw = tryParseIp(out.gateway);
      if (gw !== undefined)
        bridgeAddresses[family].push(formatCidr({ address: gw, prefixLength: cidr.prefixLength }));
    }
    ips.push(out);
  }
  return { ips, routes, bridgeAddresses };
}

/** True when `dst` is the all-zero prefix of `family` (written any valid way). */
function isDefault(dst: string, family: IpFamily): boolean {
  const c = tryParseCidr(dst);
  return c !== undefined && c.address.family === family && c.prefixLength === 0;
}
