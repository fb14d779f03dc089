/** Typed addresses from `ip -json addr show` (the `addr_info` of each link). */
import { formatIp, tryParseIp, type IpFamily } from '../ip-address.js';
import { bool, num, str, type JsonObject } from './json-fields.js';

/** One address of a link. */
export interface AddrInfo {
  readonly family: IpFamily;
  /** Canonical address text (compressed IPv6). */
  readonly address: string;
  readonly prefixLength: number;
  /** `address/prefixLength`. */
  readonly cidr: string;
  /** `global`, `link`, `host`, `site` or a number. */
  readonly scope: string;
  /** IPv6 duplicate address detection still running. */
  readonly tentative: boolean;
  /** IPv6 duplicate address detection found a duplicate: the address is unusable. */
  readonly dadfailed: boolean;
  /** Added with `nodad`. */
  readonly nodad: boolean;
  readonly deprecated: boolean;
  /** The peer address of a point-to-point address, when set. */
  readonly peer: string | undefined;
  readonly label: string | undefined;
}

/** Parses one `addr_info` entry; entries of other families (or unparsable ones) give undefined. */
export function parseAddrInfo(o: JsonObject): AddrInfo | undefined {
  const familyText = str(o, 'family');
  const family: IpFamily | undefined =
    familyText === 'inet' ? 4 : familyText === 'inet6' ? 6 : undefined;
  const local = str(o, 'local');
  const prefixLength = num(o, 'prefixlen');
  const ip = local === undefined ? undefined : tryParseIp(local);
  if (family === undefined || !ip || ip.family !== family || prefixLength === undefined)
    return undefined;
  const address = formatIp(ip);
  const peerText = str(o, 'address');
  const peerIp = peerText === undefined ? undefined : tryParseIp(peerText);
  return {
    family,
    address,
    prefixLength,
    cidr: `${address}/${prefixLength}`,
    scope: str(o, 'scope') ?? String(num(o, 'scope') ?? 'global'),
    tentative: bool(o, 'tentative') ?? false,
    dadfailed: bool(o, 'dadfailed') ?? false,
    nodad: bool(o, 'nodad') ?? false,
    deprecated: bool(o, 'deprecated') ?? false,
    peer: peerIp && peerText !== local ? formatIp(peerIp) : undefined,
    label: str(o, 'label'),
  };
}
