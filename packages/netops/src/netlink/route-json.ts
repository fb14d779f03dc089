/**
 * A route read over netlink (one RTM_NEWROUTE of a dump), written as the object
 * `ip -details -json route show table all` prints for it (the fields netops' route parser reads),
 * so that a route listing gives the same value whichever way it went.
 */
import { formatIpInetNtop, type IpFamily } from '../ip-address.js';
import {
  RTA_DST,
  RTA_GATEWAY,
  RTA_METRICS,
  RTA_MULTIPATH,
  RTA_OIF,
  RTA_PREF,
  RTA_PREFSRC,
  RTA_PRIORITY,
  RTA_TABLE,
  RTAX_ADVMSS,
  RTAX_MTU,
} from './attrs.js';
import { AF_INET, AF_INET6, parseAttrs, readIp, readU32, readU8 } from './wire.js';

/** A cached clone (`ip route show` leaves them out unless asked for the cache). */
const RTM_F_CLONED = 0x200;

/** iproute2's names (rtnl_rtntype_n2a, rtnl_rttable_n2a, rtnl_rtprot_n2a, rtnl_rtscope_n2a). */
const TYPES = [
  'none',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
];
const TABLES: Readonly<Record<number, string>> = { 253: 'default', 254: 'main', 255: 'local' };
const PROTOCOLS: Readonly<Record<number, string>> = {
  0: 'unspec',
  1: 'redirect',
  2: 'kernel',
  3: 'boot',
  4: 'static',
  8: 'gated',
  9: 'ra',
  10: 'mrt',
  11: 'zebra',
  12: 'bird',
  13: 'dnrouted',
  14: 'xorp',
  15: 'ntk',
  16: 'dhcp',
  17: 'mrouted',
  18: 'keepalived',
  42: 'babel',
  99: 'openr',
  186: 'bgp',
  187: 'isis',
  188: 'ospf',
  189: 'rip',
  192: 'eigrp',
};
const SCOPES: Readonly<Record<number, string>> = {
  0: 'global',
  200: 'site',
  253: 'link',
  254: 'host',
  255: 'nowhere',
};
/** Route and next-hop flag bits, in the order iproute2 prints them. */
const FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'dead'],
  [0x4, 'onlink'],
  [0x2, 'pervasive'],
  [0x8, 'offload'],
  [0x40, 'trap'],
  [0x100, 'notify'],
  [0x10, 'linkdown'],
  [0x20, 'unresolved'],
  [0x4000, 'rt_offload'],
  [0x8000, 'rt_trap'],
  [0x20000000, 'rt_offload_failed'],
];
const PREFS: Readonly<Record<number, string>> = { 0: 'medium', 1: 'high', 3: 'low' };

const flagNames = (bits: number): string[] =>
  FLAGS.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);

function ipText(family: IpFamily, bytes: Uint8Array | undefined): string | undefined {
  const ip = readIp(family, bytes);
  return ip && formatIpInetNtop(ip);
}

/** RTA_MULTIPATH: rtnexthop records (len u16, flags u8, hops u8, ifindex s32) with attributes. */
function nexthops(
  family: IpFamily,
  bytes: Uint8Array,
  linkName: (index: number) => string | undefined,
): Record<string, unknown>[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, unknown>[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const len = view.getUint16(at, true);
    if (len < 8 || at + len > bytes.length) break;
    const attrs = parseAttrs(bytes.subarray(at, at + len), 8);
    const hop: Record<string, unknown> = {};
    const gateway = ipText(family, attrs.get(RTA_GATEWAY));
    if (gateway !== undefined) hop.gateway = gateway;
    const dev = linkName(view.getInt32(at + 4, true));
    if (dev !== undefined) hop.dev = dev;
    hop.weight = view.getUint8(at + 3) + 1;
    hop.flags = flagNames(view.getUint8(at + 2));
    out.push(hop);
    at += (len + 3) & ~3;
  }
  return out;
}

/**
 * The `ip -details -json route show table all` object of one RTM_NEWROUTE payload; undefined for
 * what that command does not list (cloned routes, families other than IPv4 and IPv6).
 * `linkName` resolves an interface index.
 */
export function routeJson(
  payload: Uint8Array,
  linkName: (index: number) => string | undefined,
): Record<string, unknown> | undefined {
  if (payload.length < 12) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const familyCode = view.getUint8(0);
  const family: IpFamily | undefined =
    familyCode === AF_INET ? 4 : familyCode === AF_INET6 ? 6 : undefined;
  const flags = view.getUint32(8, true);
  if (family === undefined || (flags & RTM_F_CLONED) !== 0) return undefined;
  const dstLen = view.getUint8(1);
  const type = view.getUint8(7);
  const attrs = parseAttrs(payload, 12);
  const out: Record<string, unknown> = { type: TYPES[type] ?? String(type) };
  const dst = ipText(family, attrs.get(RTA_DST));
  if (dst !== undefined) out.dst = dstLen === (family === 4 ? 32 : 128) ? dst : `${dst}/${dstLen}`;
  else out.dst = dstLen === 0 ? 'default' : `0/${dstLen}`;
  const gateway = ipText(family, attrs.get(RTA_GATEWAY));
  if (gateway !== undefined) out.gateway = gateway;
  const oif = readU32(attrs.get(RTA_OIF));
  const dev = oif === undefined ? undefined : linkName(oif);
  if (dev !== undefined) out.dev = dev;
  const table = readU32(attrs.get(RTA_TABLE)) ?? view.getUint8(4);
  if (table !== 0) out.table = TABLES[table] ?? String(table);
  const protocol = view.getUint8(5);
  out.protocol = PROTOCOLS[protocol] ?? String(protocol);
  const scope = view.getUint8(6);
  out.scope = SCOPES[scope] ?? String(scope);
  const prefsrc = ipText(family, attrs.get(RTA_PREFSRC));
  if (prefsrc !== undefined) out.prefsrc = prefsrc;
  const metric = readU32(attrs.get(RTA_PRIORITY));
  if (metric !== undefined) out.metric = metric;
  out.flags = flagNames(flags);
  const metrics = attrs.get(RTA_METRICS);
  if (metrics !== undefined) {
    const m = parseAttrs(metrics);
    const entry: Record<string, number> = {};
    const mtu = readU32(m.get(RTAX_MTU));
    if (mtu !== undefined) entry.mtu = mtu;
    const advmss = readU32(m.get(RTAX_ADVMSS));
    if (advmss !== undefined) entry.advmss = advmss;
    if (Object.keys(entry).length > 0) out.metrics = [entry];
  }
  const multipath = attrs.get(RTA_MULTIPATH);
  if (multipath !== undefined) out.nexthops = nexthops(family, multipath, linkName);
  const pref = readU8(attrs.get(RTA_PREF));
  if (pref !== undefined) out.pref = PREFS[pref] ?? String(pref);
  return out;
}
