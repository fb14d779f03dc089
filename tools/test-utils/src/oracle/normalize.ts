/**
 * Turns raw readings into the normalized, sorted, diffable state: stable link names and MAC
 * labels (see aliases.ts), one sorted string per address and route, firewall text with the random
 * tokens replaced.
 */
import type { Aliases, LabelledReading } from './aliases.js';
import { isRandomVethName } from './aliases.js';
import type { FirewallDump } from './firewall.js';
import type { RawExtras } from './namespace-extras.js';
import type { RawAddress, RawLink, RawRoute } from './ip-reading.js';
import { isRecord, str } from './json-fields.js';

/** What the oracle records of one link. */
export interface LinkFacts {
  /** linkinfo kind (bridge, veth...) or the link type for kind-less links (loopback). */
  kind: string;
  up: boolean;
  operstate: string;
  mtu: number;
  txqlen: number;
  master: string | null;
  promisc: boolean;
  /**
   * `own`, `zero`, `same-as:<ns>/<link>`, `=<caller label>`, or for a bridge wearing a port's MAC
   * `lowest-port-mac` (what the kernel picks for a bridge whose MAC was never set) / `a-port-mac`.
   */
  mac: string;
  macIsZero: boolean;
  /** /sys addr_assign_type: 0 permanent, 1 random, 3 set by user space. */
  addrAssignType: number | null;
  /** Veths: where the other end is. */
  peer?: string;
  /** Renamed host veths: `veth+8hex` for the reference's naming form, else the raw name. */
  rawName?: string;
  /** Bridge ports. */
  port?: { hairpin: boolean; isolated: boolean; vlans: string[] };
  /** Bridges. */
  bridge?: { vlanFiltering: boolean; vlans: string[] };
}

/** The normalized state of a host and its containers. Keys are namespace labels then names. */
export interface NormalizedState {
  links: Record<string, Record<string, LinkFacts>>;
  addresses: Record<string, Record<string, string[]>>;
  routes: Record<string, string[]>;
  sysctls: Record<string, Record<string, string>>;
  firewall: Record<string, FirewallDump>;
  /** host-local data directory: `<network>/<file>` → contents. */
  store: Record<string, string>;
}

/** Everything read from one namespace besides its IP state. */
export type NamespaceExtras = RawExtras;

/** Builds the normalized state. `extras` is keyed by namespace label. */
export function normalizeState(
  readings: readonly LabelledReading[],
  extras: ReadonlyMap<string, NamespaceExtras>,
  store: Record<string, string>,
  aliases: Aliases,
): NormalizedState {
  const state: NormalizedState = {
    links: {},
    addresses: {},
    routes: {},
    sysctls: {},
    firewall: {},
    store: sortKeys(store),
  };
  const text = textNormalizer(aliases);
  for (const r of readings) {
    const names = aliases.names[r.label] ?? {};
    const rename = (n: string): string => names[n] ?? n;
    const extra = extras.get(r.label);
    const links: Record<string, LinkFacts> = {};
    for (const link of r.reading.links) {
      links[rename(link.ifname)] = linkFacts(link, r.label, rename, aliases, extra);
    }
    state.links[r.label] = sortKeys(links);
    const addresses: Record<string, string[]> = {};
    for (const [ifname, list] of r.reading.addresses) {
      if (list.length > 0)
        addresses[rename(ifname)] = list.map((a) => addressText(a, aliases)).sort();
    }
    state.addresses[r.label] = sortKeys(addresses);
    state.routes[r.label] = r.reading.routes
      .map((route) => routeText(route, rename, aliases))
      .sort();
    state.sysctls[r.label] = sortKeys(normalizeSysctls(extra?.settings.sysctls ?? {}, rename));
    const firewall: FirewallDump = {};
    for (const [dump, lines] of Object.entries(extra?.firewall ?? {})) {
      firewall[dump] = lines.map(text);
    }
    state.firewall[r.label] = sortKeys(firewall);
  }
  return state;
}

function linkFacts(
  link: RawLink,
  nsLabel: string,
  rename: (n: string) => string,
  aliases: Aliases,
  extra: NamespaceExtras | undefined,
): LinkFacts {
  const stable = rename(link.ifname);
  const mac = link.address?.toLowerCase();
  const macLabel = mac === undefined ? undefined : aliases.macs[mac];
  const portMacs = aliases.bridgePortMacs[nsLabel]?.[link.ifname] ?? [];
  const facts: LinkFacts = {
    kind: link.kind ?? link.linkType,
    up: link.flags.includes('UP'),
    operstate: link.operstate,
    mtu: link.mtu,
    txqlen: link.txqlen,
    master: link.master === undefined ? null : rename(link.master),
    promisc: link.flags.includes('PROMISC'),
    mac:
      mac !== undefined && portMacs.includes(mac)
        ? mac === portMacs[0]
          ? 'lowest-port-mac'
          : 'a-port-mac'
        : macLabel === undefined
          ? 'none'
          : macLabel === `mac-of:${nsLabel}/${stable}`
            ? 'own'
            : macLabel.startsWith('mac-of:')
              ? `same-as:${macLabel.slice('mac-of:'.length)}`
              : macLabel,
    macIsZero: mac === '00:00:00:00:00:00',
    addrAssignType: extra?.settings.addrAssignTypes[link.ifname] ?? null,
  };
  const peer = aliases.peers[nsLabel]?.[stable];
  if (peer !== undefined) facts.peer = peer;
  if (stable !== link.ifname)
    facts.rawName = isRandomVethName(link.ifname) ? 'veth+8hex' : link.ifname;
  if (link.slaveKind === 'bridge') {
    facts.port = {
      hairpin: link.slaveData.hairpin === true,
      isolated: link.slaveData.isolated === true,
      vlans: extra?.vlans[link.ifname] ?? [],
    };
  }
  if (link.kind === 'bridge') {
    facts.bridge = {
      vlanFiltering: link.infoData.vlan_filtering === 1,
      vlans: extra?.vlans[link.ifname] ?? [],
    };
  }
  return facts;
}

function addressText(a: RawAddress, aliases: Aliases): string {
  const local = aliases.linkLocals[a.local] ?? a.local;
  const flags = a.flags.filter((f) => f !== 'tentative');
  return [
    `${local}/${a.prefixlen}`,
    `scope ${a.scope}`,
    a.broadcast === undefined ? '' : `brd ${a.broadcast}`,
    ...flags,
  ]
    .filter((s) => s !== '')
    .join(' ');
}

const ROUTE_KEY_ORDER = [
  'table',
  'type',
  'dst',
  'gateway',
  'via',
  'dev',
  'protocol',
  'scope',
  'prefsrc',
  'metric',
  'pref',
  'flags',
  'nexthops',
];

function routeText(route: RawRoute, rename: (n: string) => string, aliases: Aliases): string {
  const fixValue = (key: string, value: unknown): unknown => {
    if (typeof value === 'string') {
      if (key === 'dev') return rename(value);
      return aliases.linkLocals[value] ?? value;
    }
    if (Array.isArray(value)) return value.map((v) => fixValue(key, v));
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fixValue(k, v)]));
    }
    return value;
  };
  const withTable = { table: str(route.table) ?? 'main', ...route };
  const keys = Object.keys(withTable).sort((a, b) => {
    const ia = ROUTE_KEY_ORDER.indexOf(a);
    const ib = ROUTE_KEY_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return keys
    .map((k) => {
      const v = fixValue(k, (withTable as Record<string, unknown>)[k]);
      if (Array.isArray(v) && v.length === 0) return '';
      return `${k} ${typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v)}`;
    })
    .filter((s) => s !== '')
    .join(' ');
}

function normalizeSysctls(
  sysctls: Record<string, string>,
  rename: (n: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(sysctls)) {
    const parts = key.split('/');
    // ipv6/conf/<ifname>/<key> and ipv4/conf/<ifname>/<key>
    if (parts.length === 4 && parts[1] === 'conf' && parts[2] !== undefined)
      parts[2] = rename(parts[2]);
    out[parts.join('/')] = value;
  }
  return out;
}

/** A function replacing raw veth names, MACs and link-local addresses inside free text. */
export function textNormalizer(aliases: Aliases): (line: string) => string {
  const replacements = new Map<string, string>();
  for (const names of Object.values(aliases.names)) {
    for (const [raw, stable] of Object.entries(names))
      if (raw !== stable) replacements.set(raw, stable);
  }
  for (const [mac, label] of Object.entries(aliases.macs)) replacements.set(mac, label);
  for (const [ll, label] of Object.entries(aliases.linkLocals)) replacements.set(ll, label);
  for (const [path, label] of Object.entries(aliases.netnsPaths)) replacements.set(path, label);
  if (replacements.size === 0) return (line) => line;
  const tokens = [...replacements.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\w:.-])(?:${tokens.join('|')})(?![\\w:.-])`, 'gi');
  return (line) =>
    line.replace(pattern, (m) => replacements.get(m) ?? replacements.get(m.toLowerCase()) ?? m);
}

/**
 * Normalizes a plugin's stdout JSON (a result or an error) with a snapshot's aliases: host veth
 * names, MACs and namespace paths in string values become their stable forms; a MAC the snapshot
 * never saw becomes `unknown-mac`; a bridge interface wearing one of its ports' MACs (which one
 * depends on the random port MACs) becomes `a-port-mac`.
 */
export function normalizeResult(result: unknown, aliases: Aliases): unknown {
  const hostNames = aliases.names.host ?? {};
  const bridgePorts = aliases.bridgePortMacs.host ?? {};
  const walk = (value: unknown): unknown => {
    if (isRecord(value) && typeof value.name === 'string' && typeof value.mac === 'string') {
      const ports = bridgePorts[value.name];
      if (ports?.includes(value.mac.toLowerCase())) {
        return Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, k === 'mac' ? 'a-port-mac' : walk(v)]),
        );
      }
    }
    if (typeof value === 'string') {
      const lower = value.toLowerCase();
      if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(lower)) return aliases.macs[lower] ?? 'unknown-mac';
      return hostNames[value] ?? aliases.netnsPaths[value] ?? aliases.linkLocals[value] ?? value;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (isRecord(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(result);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A copy of a record with its keys in sorted order (so JSON output is stable). */
export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
