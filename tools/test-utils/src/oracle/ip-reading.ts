/**
 * Reads links, addresses and routes of one namespace with iproute2's JSON output, and tells whether
 * the kernel has finished reacting (operstate caught up with carrier, no address still in DAD).
 */
import type { Netns } from '../netns.js';
import { mustExecIn } from '../netns.js';
import { OracleError } from './errors.js';
import {
  isRecord,
  num,
  parseJsonOf,
  records,
  str,
  strings,
  type JsonRecord,
} from './json-fields.js';

/** A link as `ip -d -j link show` reports it (the fields the oracle uses). */
export interface RawLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  /** Absent in the JSON when 0. */
  txqlen: number;
  linkType: string;
  address: string | undefined;
  master: string | undefined;
  /** Peer ifindex (veth) in the namespace given by linkNetnsid, or in this one when that is absent. */
  linkIndex: number | undefined;
  linkNetnsid: number | undefined;
  kind: string | undefined;
  infoData: JsonRecord;
  slaveKind: string | undefined;
  slaveData: JsonRecord;
}

/** An address of a link. */
export interface RawAddress {
  family: string;
  local: string;
  prefixlen: number;
  scope: string;
  broadcast: string | undefined;
  /** Boolean flags iproute2 prints as keys (nodad, tentative, dadfailed, noprefixroute...). */
  flags: string[];
}

/** A route entry, any table, either family. */
export type RawRoute = JsonRecord;

/** One consistent-enough reading of a namespace's IP state. */
export interface IpReading {
  links: RawLink[];
  addresses: Map<string, RawAddress[]>;
  routes: RawRoute[];
}

const ADDRESS_FIELDS = new Set([
  'family',
  'local',
  'prefixlen',
  'scope',
  'broadcast',
  'label',
  'valid_life_time',
  'preferred_life_time',
  'address',
]);

/** Reads links (with details), addresses and the routes of every table and family, in one process. */
export async function readIp(ns: Netns): Promise<IpReading> {
  // `route show table all` with no family dumps IPv4 and IPv6 alike.
  const batch = await mustExecIn(ns, ['ip', '-d', '-j', '-batch', '-'], {
    input: 'link show\naddr show\nroute show table all\n',
  });
  const lines = batch.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 3)
    throw new OracleError(`ip -batch in ${ns.name} printed ${lines.length} documents, wanted 3`);
  const [linkText, addrText, routeText] = lines as [string, string, string];
  const links = records(parseJsonOf('ip link', linkText)).map(toLink);
  const addresses = new Map<string, RawAddress[]>();
  for (const entry of records(parseJsonOf('ip addr', addrText))) {
    const name = str(entry.ifname);
    if (name !== undefined) addresses.set(name, records(entry.addr_info).map(toAddress));
  }
  const routes = records(parseJsonOf('ip route', routeText));
  return { links, addresses, routes };
}

function toLink(raw: JsonRecord): RawLink {
  const info = isRecord(raw.linkinfo) ? raw.linkinfo : {};
  return {
    ifindex: num(raw.ifindex) ?? -1,
    ifname: str(raw.ifname) ?? '?',
    flags: strings(raw.flags),
    mtu: num(raw.mtu) ?? 0,
    operstate: str(raw.operstate) ?? 'UNKNOWN',
    txqlen: num(raw.txqlen) ?? 0,
    linkType: str(raw.link_type) ?? '?',
    address: str(raw.address),
    master: str(raw.master),
    linkIndex: num(raw.link_index),
    linkNetnsid: num(raw.link_netnsid),
    kind: str(info.info_kind),
    infoData: isRecord(info.info_data) ? info.info_data : {},
    slaveKind: str(info.info_slave_kind),
    slaveData: isRecord(info.info_slave_data) ? info.info_slave_data : {},
  };
}

function toAddress(raw: JsonRecord): RawAddress {
  const flags = Object.entries(raw)
    .filter(([key, value]) => value === true && !ADDRESS_FIELDS.has(key))
    .map(([key]) => key)
    .sort();
  return {
    family: str(raw.family) ?? '?',
    local: str(raw.local) ?? '?',
    prefixlen: num(raw.prefixlen) ?? -1,
    scope: str(raw.scope) ?? '?',
    broadcast: str(raw.broadcast),
    flags,
  };
}

/**
 * Why the reading may still change on its own: operstate lags carrier until the kernel's linkwatch
 * runs (up to a second), and IPv6 addresses stay tentative (and without their local route) during
 * DAD. Empty when settled.
 */
export function unsettledReasons(nsLabel: string, reading: IpReading): string[] {
  const reasons: string[] = [];
  for (const link of reading.links) {
    const up = link.flags.includes('UP');
    const carrier = link.flags.includes('LOWER_UP');
    const operUp = link.operstate === 'UP' || link.operstate === 'UNKNOWN';
    if (up && carrier && !operUp)
      reasons.push(`${nsLabel}/${link.ifname} has carrier but operstate ${link.operstate}`);
    if (up && !carrier && link.operstate === 'UP')
      reasons.push(`${nsLabel}/${link.ifname} lost carrier but operstate is still UP`);
  }
  for (const [name, addresses] of reading.addresses) {
    for (const a of addresses) {
      if (a.flags.includes('tentative') && !a.flags.includes('dadfailed'))
        reasons.push(`${nsLabel}/${name} address ${a.local} is tentative`);
    }
  }
  return reasons;
}
