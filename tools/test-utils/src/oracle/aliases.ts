/**
 * Stable names for the random parts of a state: host veths are named by the container they lead
 * to (`veth#0`, `veth#1`... in container order), MACs by who holds them, IPv6 link-local
 * addresses by the MAC they derive from, namespace paths by role.
 */
import type { Netns } from '../netns.js';
import type { IpReading, RawLink } from './ip-reading.js';

/** The raw → stable mappings of one snapshot; also used to normalize a plugin's result. */
export interface Aliases {
  /** Per namespace label: raw link name → stable name (unchanged names included). */
  names: Record<string, Record<string, string>>;
  /** Per namespace label and stable link name: where its veth peer is (`c0/eth0`, `host/veth#0`). */
  peers: Record<string, Record<string, string>>;
  /**
   * Lower-case MAC → `zero`, `=<caller label>` or `mac-of:<ns>/<link>`, naming its first holder
   * among non-bridge links (a bridge that is not given a MAC copies its lowest port's).
   */
  macs: Record<string, string>;
  /** Per namespace label and raw bridge name: the lower-case MACs of its ports. */
  bridgePortMacs: Record<string, Record<string, string[]>>;
  /** IPv6 link-local address → `fe80::eui64(<ns>/<link>)` or `fe80::other(<ns>/<link>)`. */
  linkLocals: Record<string, string>;
  /** Namespace path → `netns:<label>`. */
  netnsPaths: Record<string, string>;
}

/** A namespace's reading under its label (`host`, `c0`, `c1`...). */
export interface LabelledReading {
  label: string;
  ns: Netns;
  reading: IpReading;
}

const RANDOM_VETH = /^veth[0-9a-f]{8}$/;
const ZERO_MAC = '00:00:00:00:00:00';

/** True for the reference's host-veth naming: `veth` and 8 lower-case hex digits. */
export function isRandomVethName(name: string): boolean {
  return RANDOM_VETH.test(name);
}

/**
 * Builds the aliases. `readings` lists the host first, then the containers in their given order;
 * `macLabels` maps caller labels to MACs they want recognised (e.g. a requested container MAC).
 */
export function buildAliases(
  readings: readonly LabelledReading[],
  macLabels: Record<string, string> = {},
): Aliases {
  const aliases: Aliases = {
    names: {},
    peers: {},
    macs: {},
    bridgePortMacs: {},
    linkLocals: {},
    netnsPaths: {},
  };
  for (const r of readings) {
    aliases.names[r.label] = Object.fromEntries(r.reading.links.map((l) => [l.ifname, l.ifname]));
    aliases.peers[r.label] = {};
    aliases.netnsPaths[r.ns.path] = `netns:${r.label}`;
    aliases.bridgePortMacs[r.label] = bridgePortMacs(r.reading.links);
  }
  const host = readings.find((r) => r.label === 'host');
  if (host) nameHostVeths(host, readings, aliases);
  labelMacs(readings, macLabels, aliases);
  labelLinkLocals(readings, aliases);
  return aliases;
}

function nameHostVeths(
  host: LabelledReading,
  readings: readonly LabelledReading[],
  aliases: Aliases,
): void {
  const byIndex = new Map(host.reading.links.map((l) => [l.ifindex, l]));
  const hostNames = aliases.names.host ?? {};
  const hostPeers = aliases.peers.host ?? {};
  const named = new Set<string>();
  let next = 0;
  // A container's veth end knows its host peer's ifindex; host ifindexes are unique.
  for (const c of readings) {
    if (c.label === 'host') continue;
    for (const link of sortedByName(c.reading.links)) {
      if (link.kind !== 'veth' || link.linkIndex === undefined || link.linkNetnsid === undefined)
        continue;
      const peer = byIndex.get(link.linkIndex);
      if (
        !peer ||
        peer.kind !== 'veth' ||
        named.has(peer.ifname) ||
        peer.linkIndex !== link.ifindex
      )
        continue;
      const stable = `veth#${next++}`;
      named.add(peer.ifname);
      hostNames[peer.ifname] = stable;
      hostPeers[stable] = `${c.label}/${link.ifname}`;
      const cPeers = aliases.peers[c.label];
      if (cPeers) cPeers[link.ifname] = `host/${stable}`;
    }
  }
  // Veth pairs inside the host (the VLAN gateway) keep the non-random end's name as anchor.
  let orphans = 0;
  for (const link of [...host.reading.links].sort((a, b) => a.ifindex - b.ifindex)) {
    if (link.kind !== 'veth' || named.has(link.ifname)) continue;
    const peer = link.linkNetnsid === undefined ? byIndex.get(link.linkIndex ?? -1) : undefined;
    if (isRandomVethName(link.ifname)) {
      hostNames[link.ifname] = peer ? `veth#peer-of:${peer.ifname}` : `veth#orphan${orphans++}`;
    }
  }
  for (const link of host.reading.links) {
    if (link.kind !== 'veth' || named.has(link.ifname)) continue;
    const peer = link.linkNetnsid === undefined ? byIndex.get(link.linkIndex ?? -1) : undefined;
    const self = hostNames[link.ifname] ?? link.ifname;
    hostPeers[self] = peer ? `host/${hostNames[peer.ifname] ?? peer.ifname}` : 'elsewhere';
  }
}

function labelMacs(
  readings: readonly LabelledReading[],
  macLabels: Record<string, string>,
  aliases: Aliases,
): void {
  const byMac = new Map<string, string>();
  for (const [label, mac] of Object.entries(macLabels)) byMac.set(mac.toLowerCase(), `=${label}`);
  // Containers first, so a MAC shared with a container is named after the container's interface;
  // bridges last, so a bridge that copied a port's MAC does not claim it.
  const holders: { ns: string; stable: string; link: RawLink }[] = [];
  const ordered = [
    ...readings.filter((r) => r.label !== 'host'),
    ...readings.filter((r) => r.label === 'host'),
  ];
  for (const r of ordered) {
    const names = aliases.names[r.label] ?? {};
    for (const link of r.reading.links) {
      holders.push({ ns: r.label, stable: names[link.ifname] ?? link.ifname, link });
    }
  }
  const isBridge = (h: (typeof holders)[number]): number => (h.link.kind === 'bridge' ? 1 : 0);
  const nsRank = (h: (typeof holders)[number]): number =>
    ordered.findIndex((r) => r.label === h.ns);
  holders.sort(
    (a, b) =>
      isBridge(a) - isBridge(b) || nsRank(a) - nsRank(b) || a.stable.localeCompare(b.stable),
  );
  for (const { ns, stable, link } of holders) {
    const mac = link.address?.toLowerCase();
    if (mac === undefined || !isMac(mac)) continue;
    if (mac === ZERO_MAC) aliases.macs[mac] = 'zero';
    else aliases.macs[mac] ??= byMac.get(mac) ?? `mac-of:${ns}/${stable}`;
  }
  for (const [mac, label] of byMac) aliases.macs[mac] ??= label;
}

function labelLinkLocals(readings: readonly LabelledReading[], aliases: Aliases): void {
  for (const r of readings) {
    const names = aliases.names[r.label] ?? {};
    const byName = new Map(r.reading.links.map((l) => [l.ifname, l]));
    for (const [ifname, addresses] of r.reading.addresses) {
      const owner = `${r.label}/${names[ifname] ?? ifname}`;
      const mac = byName.get(ifname)?.address;
      for (const a of addresses) {
        if (a.family !== 'inet6' || a.scope !== 'link') continue;
        const eui = mac && isMac(mac) ? eui64LinkLocal(mac) : undefined;
        aliases.linkLocals[a.local] =
          eui !== undefined && expandIpv6(a.local) === eui
            ? `fe80::eui64(${owner})`
            : `fe80::other(${owner})`;
      }
    }
  }
}

function bridgePortMacs(links: readonly RawLink[]): Record<string, string[]> {
  const ports: Record<string, string[]> = {};
  for (const link of links) if (link.kind === 'bridge') ports[link.ifname] = [];
  for (const link of links) {
    const mac = link.address?.toLowerCase();
    if (link.master !== undefined && mac !== undefined) ports[link.master]?.push(mac);
  }
  for (const macs of Object.values(ports)) macs.sort();
  return ports;
}

function sortedByName(links: readonly RawLink[]): RawLink[] {
  return [...links].sort((a, b) => a.ifname.localeCompare(b.ifname));
}

/** True for `xx:xx:xx:xx:xx:xx` (hex). */
export function isMac(text: string): boolean {
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(text);
}

/** The fully expanded form of an IPv6 address (8 groups of 4 hex digits), or undefined. */
export function expandIpv6(address: string): string | undefined {
  const halves = address.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

/** The EUI-64 link-local address (expanded) the kernel derives from a MAC. */
export function eui64LinkLocal(mac: string): string {
  const b = mac
    .toLowerCase()
    .split(':')
    .map((h) => parseInt(h, 16));
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0] = b;
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  const words = [hex(b0 ^ 0x02) + hex(b1), hex(b2) + 'ff', 'fe' + hex(b3), hex(b4) + hex(b5)];
  return ['fe80', '0000', '0000', '0000', ...words].join(':');
}
