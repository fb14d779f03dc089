/** Typed links from `ip -details -json addr show` (link fields plus `addr_info`). */
import { parseAddrInfo, type AddrInfo } from './addr.js';
import {
  bool,
  isObject,
  num,
  obj,
  str,
  strings,
  topArray,
  type JsonObject,
} from './json-fields.js';

/** A link as netops reads it. Optional fields are undefined when the kernel does not report them. */
export interface LinkInfo {
  readonly ifindex: number;
  readonly name: string;
  /** `bridge`, `veth`, `dummy`...; undefined for plain devices (lo, physical NICs). */
  readonly kind: string | undefined;
  /** `bridge` when the link is a bridge port. */
  readonly slaveKind: string | undefined;
  /** Name of the master (the bridge of a port). */
  readonly master: string | undefined;
  readonly mtu: number;
  /** Lowercase MAC; undefined for links without one. */
  readonly mac: string | undefined;
  /** `UP`, `DOWN`, `LOWERLAYERDOWN`, `UNKNOWN`... as the kernel reports it. */
  readonly operstate: string;
  /** Flags as printed (`UP`, `LOWER_UP`, `PROMISC`, `NO-CARRIER`...). */
  readonly flags: readonly string[];
  /** Administratively up (the UP flag). */
  readonly up: boolean;
  /** The PROMISC flag. */
  readonly promisc: boolean;
  /** Transmit queue length; 0 when the kernel omits it (veths created with `txqueuelen 0`). */
  readonly txqlen: number;
  /** For a veth: ifindex of the peer, in the peer's namespace when `peerNetnsId` is set. */
  readonly peerIfindex: number | undefined;
  /** For a veth whose peer is in another namespace: that namespace's id as seen from here. */
  readonly peerNetnsId: number | undefined;
  /** For a bridge: whether VLAN filtering is on. */
  readonly vlanFiltering: boolean | undefined;
  /** For a bridge port: hairpin (reflective relay) mode. */
  readonly hairpin: boolean | undefined;
  /** For a bridge port: isolated flag. */
  readonly isolated: boolean | undefined;
  /** Addresses, when read with an `addr show` (netops' link queries always are). */
  readonly addresses: readonly AddrInfo[];
}

/** Parses one entry of `ip -d -j addr show` / `ip -d -j link show`. */
export function parseLink(o: JsonObject): LinkInfo | undefined {
  const ifindex = num(o, 'ifindex');
  const name = str(o, 'ifname');
  if (ifindex === undefined || name === undefined) return undefined;
  const flags = strings(o, 'flags');
  const linkinfo = obj(o, 'linkinfo');
  const infoData = linkinfo && obj(linkinfo, 'info_data');
  const slaveData = linkinfo && obj(linkinfo, 'info_slave_data');
  const kind = linkinfo && str(linkinfo, 'info_kind');
  const addrInfo = o.addr_info;
  const addresses = Array.isArray(addrInfo)
    ? addrInfo.filter(isObject).flatMap((a) => parseAddrInfo(a) ?? [])
    : [];
  const mac = str(o, 'address');
  return {
    ifindex,
    name,
    kind,
    slaveKind: linkinfo && str(linkinfo, 'info_slave_kind'),
    master: str(o, 'master'),
    mtu: num(o, 'mtu') ?? 0,
    mac: mac === undefined ? undefined : mac.toLowerCase(),
    operstate: str(o, 'operstate') ?? 'UNKNOWN',
    flags,
    up: flags.includes('UP'),
    promisc: flags.includes('PROMISC'),
    txqlen: num(o, 'txqlen') ?? 0,
    peerIfindex: num(o, 'link_index'),
    peerNetnsId: num(o, 'link_netnsid'),
    vlanFiltering: kind === 'bridge' && infoData ? bool(infoData, 'vlan_filtering') : undefined,
    hairpin: slaveData && bool(slaveData, 'hairpin'),
    isolated: slaveData && bool(slaveData, 'isolated'),
    addresses,
  };
}

/** Parses the whole array of a link/addr show. */
export function parseLinks(json: unknown): LinkInfo[] {
  return topArray(json, 'link').flatMap((o) => parseLink(o) ?? []);
}
