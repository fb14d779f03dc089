/** Cleaning of packet-filter dumps: no timestamps, no counters, no blank lines. */

/** Dump name → its lines, e.g. `iptables nat`, `ip6tables filter`, `nft`. */
export type FirewallDump = Record<string, string[]>;

/** Drops `#` comment lines (they carry timestamps) and the `[packets:bytes]` chain counters. */
export function cleanSave(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''));
}

// The tables iptables-nft owns. iptables-save dumps them and decodes its own matches and targets;
// nft prints an iptables target through libxtables and prints nothing in its place when that
// lookup fails ("XT target MASQUERADE not found"), which it does or not from one listing to the
// next. So the same rule could read `... counter masquerade` in one dump and `... counter` in
// the other, and the order of these tables is only the order they were first written in.
const IPTABLES_TABLE = /^table (?:ip|ip6) (?:filter|nat|mangle|raw|security) \{$/;

/**
 * Drops blank lines, rule counters and the tables that iptables-nft owns (read through
 * iptables-save instead), and collapses whitespace.
 */
export function cleanNft(text: string): string[] {
  const kept: string[] = [];
  let inIptablesTable = false;
  for (const raw of text.split('\n')) {
    // nft prints a table's header and its closing brace unindented.
    if (inIptablesTable) {
      if (raw.trimEnd() === '}') inIptablesTable = false;
      continue;
    }
    if (IPTABLES_TABLE.test(raw.trimEnd())) {
      inIptablesTable = true;
      continue;
    }
    const line = raw
      .replace(/\bcounter packets \d+ bytes \d+/g, 'counter')
      .replace(/\s+/g, ' ')
      .trim();
    if (line !== '') kept.push(line);
  }
  return kept;
}
