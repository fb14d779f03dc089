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

/** Drops blank lines and rule counters, and collapses whitespace. */
export function cleanNft(text: string): string[] {
  return text
    .split('\n')
    .map((l) =>
      l
        .replace(/\bcounter packets \d+ bytes \d+/g, 'counter')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((l) => l !== '');
}
