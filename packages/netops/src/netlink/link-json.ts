/**
 * A link read over netlink, written as the object `ip -details -json addr show dev NAME` prints
 * for it (the fields netops' parsers read), so a read line gives the same value whichever way it
 * went.
 */
import { hexBytes } from '../hex.js';
import { formatIp, type IpFamily } from '../ip-address.js';
import { AF_INET, AF_INET6, parseAttrs, readIp, readStr, readU32, readU8 } from './wire.js';
import {
  IFLA_ADDRESS,
  IFLA_IFNAME,
  IFA_ADDRESS,
  IFA_LOCAL,
  IFLA_MTU,
  IFLA_MASTER,
  IFLA_TXQLEN,
  IFLA_LINKINFO,
  IFLA_INFO_KIND,
  IFLA_INFO_DATA,
  IFLA_INFO_SLAVE_KIND,
  IFLA_INFO_SLAVE_DATA,
  IFLA_BR_VLAN_FILTERING,
  IFLA_BRPORT_MODE,
  IFLA_BRPORT_ISOLATED,
  IFLA_LINK,
  IFLA_OPERSTATE,
  IFLA_LINK_NETNSID,
  IFA_LABEL,
  IFA_FLAGS,
} from './attrs.js';

const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

/** IFF_* bits in the order iproute2 prints them. */
const FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x8, 'LOOPBACK'],
  [0x2, 'BROADCAST'],
  [0x10, 'POINTOPOINT'],
  [0x1000, 'MULTICAST'],
  [0x80, 'NOARP'],
  [0x200, 'ALLMULTI'],
  [0x100, 'PROMISC'],
  [0x400, 'MASTER'],
  [0x800, 'SLAVE'],
  [0x4, 'DEBUG'],
  [0x8000, 'DYNAMIC'],
  [0x4000, 'AUTOMEDIA'],
  [0x2000, 'PORTSEL'],
  [0x20, 'NOTRAILERS'],
  [0x1, 'UP'],
  [0x10000, 'LOWER_UP'],
  [0x20000, 'DORMANT'],
  [0x40000, 'ECHO'],
];

/** The link part of a GETLINK answer (after the message header). */
export interface RawLink {
  index: number;
  flags: number;
  attrs: Map<number, Uint8Array>;
}

/** Reads an RTM_NEWLINK payload. */
export function rawLink(payload: Uint8Array): RawLink {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return {
    index: view.getInt32(4, true),
    flags: view.getUint32(8, true),
    attrs: parseAttrs(payload, 16),
  };
}

function macText(bytes: Uint8Array): string {
  return hexBytes(bytes, ':');
}

function flagNames(flags: number): string[] {
  const names = FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  // iproute2 shows a link that is up without carrier as NO-CARRIER first.
  return (flags & 0x1) !== 0 && (flags & 0x10000) === 0 ? ['NO-CARRIER', ...names] : names;
}

/** One address of an RTM_NEWADDR payload, for link `index`; undefined for other links. */
export function addrJson(payload: Uint8Array, index: number): Record<string, unknown> | undefined {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (view.getUint32(4, true) !== index) return undefined;
  const familyCode = view.getUint8(0);
  const family: IpFamily | undefined =
    familyCode === AF_INET ? 4 : familyCode === AF_INET6 ? 6 : undefined;
  if (family === undefined) return undefined;
  const attrs = parseAttrs(payload, 8);
  const ipOf = (bytes: Uint8Array | undefined): string | undefined => {
    const ip = readIp(family, bytes);
    return ip && formatIp(ip);
  };
  const address = ipOf(attrs.get(IFA_ADDRESS));
  const local = ipOf(attrs.get(IFA_LOCAL)) ?? address;
  if (local === undefined) return undefined;
  const flags = readU32(attrs.get(IFA_FLAGS)) ?? view.getUint8(2);
  const scope = view.getUint8(3);
  const out: Record<string, unknown> = {
    family: family === 4 ? 'inet' : 'inet6',
    local,
    prefixlen: view.getUint8(1),
    scope: { 0: 'global', 200: 'site', 253: 'link', 254: 'host' }[scope] ?? scope,
  };
  if (address !== undefined && address !== local) out.address = address;
  if ((flags & 0x40) !== 0) out.tentative = true;
  if ((flags & 0x08) !== 0) out.dadfailed = true;
  if ((flags & 0x02) !== 0) out.nodad = true;
  if ((flags & 0x20) !== 0) out.deprecated = true;
  const label = readStr(attrs.get(IFA_LABEL));
  if (label !== undefined) out.label = label;
  return out;
}

/**
 * The `ip -details -json addr show` object of a link: `masterName` resolves IFLA_MASTER (an
 * index) to a name, `addresses` are the link's `addr_info` entries.
 */
export function linkJson(
  link: RawLink,
  masterName: string | undefined,
  addresses: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const { attrs } = link;
  const out: Record<string, unknown> = {
    ifindex: link.index,
    ifname: readStr(attrs.get(IFLA_IFNAME)),
    flags: flagNames(link.flags),
    mtu: readU32(attrs.get(IFLA_MTU)),
    operstate: OPERSTATES[readU8(attrs.get(IFLA_OPERSTATE)) ?? 0] ?? 'UNKNOWN',
    txqlen: readU32(attrs.get(IFLA_TXQLEN)),
  };
  if (masterName !== undefined) out.master = masterName;
  const mac = attrs.get(IFLA_ADDRESS);
  if (mac !== undefined && mac.length > 0) out.address = macText(mac);
  // iproute2 prints the peer's index only for a peer in another namespace (a name otherwise).
  const peer = readU32(attrs.get(IFLA_LINK));
  const netnsId = attrs.get(IFLA_LINK_NETNSID);
  if (peer !== undefined && netnsId !== undefined && netnsId.length >= 4) {
    out.link_index = peer;
    out.link_netnsid = new DataView(netnsId.buffer, netnsId.byteOffset, 4).getInt32(0, true);
  }
  const info = attrs.get(IFLA_LINKINFO);
  if (info !== undefined) {
    const nested = parseAttrs(info);
    const linkinfo: Record<string, unknown> = {};
    const kind = readStr(nested.get(IFLA_INFO_KIND));
    if (kind !== undefined) linkinfo.info_kind = kind;
    const data = nested.get(IFLA_INFO_DATA);
    if (kind === 'bridge' && data !== undefined) {
      const filtering = readU8(parseAttrs(data).get(IFLA_BR_VLAN_FILTERING));
      if (filtering !== undefined) linkinfo.info_data = { vlan_filtering: filtering };
    }
    const slaveKind = readStr(nested.get(IFLA_INFO_SLAVE_KIND));
    if (slaveKind !== undefined) linkinfo.info_slave_kind = slaveKind;
    const slaveData = nested.get(IFLA_INFO_SLAVE_DATA);
    if (slaveKind === 'bridge' && slaveData !== undefined) {
      const port = parseAttrs(slaveData);
      const hairpin = readU8(port.get(IFLA_BRPORT_MODE));
      const isolated = readU8(port.get(IFLA_BRPORT_ISOLATED));
      linkinfo.info_slave_data = {
        ...(hairpin === undefined ? {} : { hairpin: hairpin !== 0 }),
        ...(isolated === undefined ? {} : { isolated: isolated !== 0 }),
      };
    }
    out.linkinfo = linkinfo;
  }
  out.addr_info = addresses;
  return out;
}

/** IFLA_IFNAME of a link. */
export function linkName(link: RawLink): string | undefined {
  return readStr(link.attrs.get(IFLA_IFNAME));
}

/** IFLA_MASTER of a link: the index of its master, if enslaved. */
export function masterIndex(link: RawLink): number | undefined {
  return readU32(link.attrs.get(IFLA_MASTER));
}
