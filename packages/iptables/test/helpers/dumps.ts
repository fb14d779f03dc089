/** Normalized views of a namespace's netfilter state, for comparing two implementations. */
import { mustExecIn, type Netns } from '@cnikit-tools/test-utils';

/**
 * `iptables-save -t nat` (or ip6tables) reduced to what matters: the user chains that exist and
 * the rules of each chain in order, with timestamps and counters dropped, chains sorted by name.
 */
export async function natDump(ns: Netns, family: 4 | 6): Promise<string> {
  const tool = family === 4 ? 'iptables-save' : 'ip6tables-save';
  const text = await mustExecIn(ns, [tool, '-t', 'nat']);
  const chains = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) chains.set(line.slice(1).split(' ')[0] ?? '', []);
    if (line.startsWith('-A ')) {
      const chain = line.split(' ')[1] ?? '';
      chains.get(chain)?.push(line);
    }
  }
  return [...chains.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rules]) => [`:${name}`, ...rules].join('\n'))
    .join('\n');
}

/** Both families' nat dumps. */
export async function natDumps(ns: Netns): Promise<{ v4: string; v6: string }> {
  const [v4, v6] = await Promise.all([natDump(ns, 4), natDump(ns, 6)]);
  return { v4, v6 };
}

/**
 * `nft list table <family> <name>` without handles, with `# handle` comments and the iptables-nft
 * warning dropped; empty when the table does not exist.
 */
export async function nftTable(ns: Netns, family: string, name: string): Promise<string> {
  const text = await mustExecIn(ns, ['nft', 'list', 'ruleset']);
  const start = text.indexOf(`table ${family} ${name} {`);
  if (start < 0) return '';
  const end = text.indexOf('\n}', start);
  return text.slice(start, end + 2);
}

/** Lines of a dump that mention `needle`. */
export function linesWith(dump: string, needle: string): string[] {
  return dump.split('\n').filter((l) => l.includes(needle));
}
