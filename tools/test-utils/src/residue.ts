/**
 * What a network plugin left behind, in a form two runs can be compared with: the host
 * namespace's links and firewall, the links still inside container namespaces, and host-local's
 * reservations. "Nothing left" is then `expect(after).toEqual(baseline)`, where the baseline is
 * what a clean ADD and DEL leave (the shared bridge and shared firewall scaffolding).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mustExecIn, type Netns } from './netns.js';

/** Where to look. */
export interface ResidueOptions {
  /** The namespace holding the bridge and the firewall rules. */
  host: Netns;
  /** Container namespaces; those already deleted are skipped. */
  containers?: readonly Netns[];
  /** host-local's dataDir and the network name (its store is `<dataDir>/<network>`). */
  ipamStore?: { dataDir: string; network: string };
}

/** A residue reading; every list is sorted so the order of creation does not matter. */
export interface Residue {
  /** `name (kind)` of every host link but `lo`. */
  hostLinks: string[];
  /** `namespace: name (kind)` of every container link but `lo`. */
  containerLinks: string[];
  /** One entry per table, chain, set and rule of `nft -s list ruleset`, with its path. */
  firewall: string[];
  /** Addresses reserved in host-local's store. */
  reservations: string[];
}

interface LinkJson {
  ifname: string;
  linkinfo?: { info_kind?: string };
}

/** Reads the residue of a host namespace and its containers. */
export async function readResidue(options: ResidueOptions): Promise<Residue> {
  const containers = (options.containers ?? []).filter((ns) => existsSync(ns.path));
  const [hostLinks, firewall, ...perContainer] = await Promise.all([
    linksOf(options.host),
    mustExecIn(options.host, ['nft', '-s', 'list', 'ruleset']).then(flattenRuleset),
    ...containers.map(async (ns) => (await linksOf(ns)).map((l) => `${ns.name}: ${l}`)),
  ]);
  return {
    hostLinks,
    containerLinks: perContainer.flat().sort(),
    firewall,
    reservations: options.ipamStore ? reservationsIn(options.ipamStore) : [],
  };
}

async function linksOf(ns: Netns): Promise<string[]> {
  const links = JSON.parse(await mustExecIn(ns, ['ip', '-d', '-j', 'link', 'show'])) as LinkJson[];
  return links
    .filter((l) => l.ifname !== 'lo')
    .map((l) => `${l.ifname} (${l.linkinfo?.info_kind ?? 'device'})`)
    .sort();
}

/**
 * Turns nft's text listing into sorted one-line entries such as
 * `table ip nat / chain POSTROUTING: ip saddr 10.1.2.3 counter jump CNI-...`. The text form keeps
 * what the JSON form drops for iptables-nft rules (their targets and matches stay readable).
 */
export function flattenRuleset(text: string): string[] {
  const path: string[] = [];
  const entries: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('{')) {
      path.push(line.slice(0, -1).trim());
      entries.push(path.join(' / '));
    } else if (line === '}') {
      path.pop();
    } else {
      entries.push(`${path.join(' / ')}: ${line}`);
    }
  }
  return entries.sort();
}

/** host-local's reservation files (named by address), without its lock and cursor files. */
function reservationsIn(store: { dataDir: string; network: string }): string[] {
  const dir = join(store.dataDir, store.network);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f !== 'lock' && !f.startsWith('last_reserved_ip'))
    .sort();
}

/**
 * What `after` has beyond `before` (`+ field: entry`) and lacks from it (`- field: entry`);
 * empty when they are equal. Entries are compared as multisets, so duplicates count.
 */
export function residueDiff(before: Residue, after: Residue): string[] {
  const out: string[] = [];
  for (const field of ['hostLinks', 'containerLinks', 'firewall', 'reservations'] as const) {
    const left = countOf(before[field]);
    for (const entry of after[field]) {
      const n = left.get(entry) ?? 0;
      if (n > 0) left.set(entry, n - 1);
      else out.push(`+ ${field}: ${entry}`);
    }
    for (const [entry, n] of left) for (let i = 0; i < n; i++) out.push(`- ${field}: ${entry}`);
  }
  return out;
}

function countOf(entries: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e, (counts.get(e) ?? 0) + 1);
  return counts;
}
