/**
 * Quick reads of a namespace's state for assertions (no settling; see snapshotState for that).
 * `view()` reads links, addresses and routes in one `ip -batch` process; the helpers below it
 * answer questions from a view without spawning anything.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execIn, mustExecIn, type Netns } from '@cnikit-tools/test-utils';

/** The fields of `ip -d -j addr show` the scenarios look at. */
export interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  /** Absent when 0. */
  txqlen?: number;
  address: string;
  master?: string;
  link_index?: number;
  linkinfo?: {
    info_kind?: string;
    info_data?: { vlan_filtering?: number };
    info_slave_kind?: string;
    info_slave_data?: { hairpin?: boolean; isolated?: boolean };
  };
  addr_info: IpAddress[];
}

/** An address. */
export interface IpAddress {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  scope: string;
}

/** A route of the main table. */
export interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  /** Only IPv6 routes carry it. */
  pref?: string;
}

/** Links (with addresses) and main-table routes of a namespace at one moment. */
export interface NsView {
  links: IpLink[];
  routes: IpRoute[];
}

/** Reads a namespace's links, addresses and main-table routes in one process. */
export async function view(ns: Netns): Promise<NsView> {
  const out = await mustExecIn(ns, ['ip', '-d', '-j', '-batch', '-'], {
    input: 'addr show\nroute show table all\n',
  });
  const [linkText = '[]', routeText = '[]'] = out.split('\n').filter((l) => l.trim() !== '');
  const links = JSON.parse(linkText) as IpLink[];
  const routes = (JSON.parse(routeText) as IpRoute[]).filter(
    (r) => r.table === undefined || r.table === 'main',
  );
  return { links, routes };
}

/** One link of a view, or undefined. */
export function findLink(v: NsView, name: string): IpLink | undefined {
  return v.links.find((l) => l.ifname === name);
}

/** Links of a kind (`veth`, `bridge`...). */
export function ofKind(v: NsView, kind: string): IpLink[] {
  return v.links.filter((l) => l.linkinfo?.info_kind === kind);
}

/** Global-scope CIDRs (`10.1.2.1/24`) of a link, sorted; empty when the link is absent. */
export function cidrsOf(v: NsView, ifname: string): string[] {
  return (findLink(v, ifname)?.addr_info ?? [])
    .filter((a) => a.scope === 'global')
    .map((a) => `${a.local}/${a.prefixlen}`)
    .sort();
}

/** The gateway of the main-table default route of a family, if any. */
export function defaultGatewayOf(v: NsView, family: 4 | 6): string | undefined {
  return v.routes.find((r) => r.dst === 'default' && (r.pref !== undefined) === (family === 6))
    ?.gateway;
}

/** One link, read now. */
export async function link(ns: Netns, name: string): Promise<IpLink | undefined> {
  return findLink(await view(ns), name);
}

/** Global CIDRs of a link, read now. */
export async function globalCidrs(ns: Netns, ifname: string): Promise<string[]> {
  return cidrsOf(await view(ns), ifname);
}

/** The default gateway of a family, read now. */
export async function defaultGateway(ns: Netns, family: 4 | 6): Promise<string | undefined> {
  return defaultGatewayOf(await view(ns), family);
}

/** `iptables-save -t nat` (or ip6tables) without comments and counters. */
export async function natRules(ns: Netns, family: 4 | 6): Promise<string[]> {
  const tool = family === 4 ? 'iptables-save' : 'ip6tables-save';
  return (await mustExecIn(ns, [tool, '-t', 'nat']))
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''));
}

/** `nft list ruleset` lines (trimmed, blank lines dropped). */
export async function nftRuleset(ns: Netns): Promise<string[]> {
  return (await mustExecIn(ns, ['nft', 'list', 'ruleset']))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** One `nft list chain` as lines, or undefined when the table or chain is absent. */
export async function nftChain(
  ns: Netns,
  family: string,
  table: string,
  chain: string,
): Promise<string[] | undefined> {
  const r = await execIn(ns, ['nft', 'list', 'chain', family, table, chain]);
  if (r.exitCode !== 0) return undefined;
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** IPs host-local has reserved in `dataDir` for `network` (its bookkeeping files left out). */
export function reservations(dataDir: string, network: string): string[] {
  try {
    return readdirSync(join(dataDir, network))
      .filter((f) => f !== 'lock' && !f.startsWith('last_reserved_ip'))
      .sort();
  } catch {
    return [];
  }
}

/** A sysctl under /proc/sys/net of the namespace (`ipv6/conf/eth0/accept_dad`). */
export async function netSysctl(ns: Netns, key: string): Promise<string> {
  if (!/^[\w./-]+$/.test(key) || key.includes('..')) throw new Error(`bad sysctl key ${key}`);
  return (await mustExecIn(ns, ['cat', `/proc/sys/net/${key}`])).trim();
}

/** Pings `address` once from the namespace; true when a reply came back. */
export async function pingOnce(ns: Netns, address: string): Promise<boolean> {
  if (!/^[0-9a-fA-F.:]+$/.test(address)) throw new Error(`bad address ${address}`);
  const r = await execIn(ns, ['ping', '-c', '1', '-W', '5', address]);
  return r.exitCode === 0;
}

/** The nat lines that belong to CNI masquerading: `CNI-` chains and jumps into them. */
export function masqueradeRulesOf(rules: readonly string[]): string[] {
  return rules.filter((l) => /CNI-|MASQUERADE/.test(l));
}
