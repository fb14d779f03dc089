/**
 * Pure planning for the iptables backend: from the container's identity, its addresses of one
 * family and the table as iptables-save printed it, the lines of ONE `iptables-restore --noflush`
 * (or none when nothing has to change). The rules are exactly the reference's, in its order.
 */
import {
  cidrNetwork,
  formatCidrInetNtop,
  hostCidr,
  type IpCidr,
  type IpFamily,
} from '@cnikit/netops';
import { parseMasqueradeComment } from '../naming.js';
import {
  quoteToken,
  ruleComment,
  ruleKey,
  ruleTarget,
  type SavedRule,
  type SavedTable,
} from './save-parse.js';

/** Multicast destinations are never masqueraded. */
export const MULTICAST: Record<IpFamily, string> = { 4: '224.0.0.0/4', 6: 'ff00::/8' };

/** What identifies a container's rules in one family. */
export interface IptablesIdentity {
  chain: string;
  comment: string;
}

/** A rule to append: its chain and its args (in iptables-save order). */
interface WantedRule {
  chain: string;
  args: string[];
}

function commented(comment: string, ...rest: string[]): string[] {
  const target = rest.slice(-2);
  return [...rest.slice(0, -2), '-m', 'comment', '--comment', comment, ...target];
}

/**
 * The rules setup wants, as the reference appends them for each address in turn: own subnet
 * ACCEPT, non-multicast MASQUERADE (both in the container chain) and the POSTROUTING jump from
 * the container's address; duplicates are skipped ("append unique").
 */
export function wantedRules(
  id: IptablesIdentity,
  family: IpFamily,
  ips: readonly IpCidr[],
): WantedRule[] {
  const out: WantedRule[] = [];
  const seen = new Set<string>();
  const add = (rule: WantedRule): void => {
    const key = rule.chain + ruleKey(rule.args);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(rule);
  };
  for (const ip of ips) {
    if (ip.address.family !== family) continue;
    add({
      chain: id.chain,
      args: commented(id.comment, '-d', formatCidrInetNtop(cidrNetwork(ip)), '-j', 'ACCEPT'),
    });
    add({
      chain: id.chain,
      args: commented(id.comment, '!', '-d', MULTICAST[family], '-j', 'MASQUERADE'),
    });
    add({
      chain: 'POSTROUTING',
      args: commented(id.comment, '-s', formatCidrInetNtop(hostCidr(ip.address)), '-j', id.chain),
    });
  }
  return out;
}

function appendLine(rule: WantedRule): string {
  return ['-A', rule.chain, ...rule.args.map(quoteToken)].join(' ');
}

function deleteLine(rule: SavedRule): string {
  return `-D${rule.line.slice(2)}`;
}

/** The wanted rules that are missing from the table, as append lines (for CHECK and setup). */
export function missingRules(
  id: IptablesIdentity,
  family: IpFamily,
  ips: readonly IpCidr[],
  table: SavedTable,
): string[] {
  const present = new Set(table.rules.map((r) => r.chain + ruleKey(r.args)));
  return wantedRules(id, family, ips)
    .filter((rule) => !present.has(rule.chain + ruleKey(rule.args)))
    .map(appendLine);
}

/** Setup lines: create the chain if absent and append each wanted rule not already present. */
export function planSetup(
  id: IptablesIdentity,
  family: IpFamily,
  ips: readonly IpCidr[],
  table: SavedTable,
): string[] {
  const createChain = table.chains.has(id.chain) ? [] : [`:${id.chain} - [0:0]`];
  return [...createChain, ...missingRules(id, family, ips, table)];
}

/**
 * Setup lines written without reading the table, for a container whose chain does not exist yet:
 * create the chain, then append every wanted rule. `-N` fails when the chain exists, and with it
 * the whole `iptables-restore` transaction; when it succeeds the chain is new, so no rule in the
 * table can carry its name, and these are exactly the lines {@link planSetup} would write.
 */
export function planFreshSetup(
  id: IptablesIdentity,
  family: IpFamily,
  ips: readonly IpCidr[],
): string[] {
  return [`-N ${id.chain}`, ...wantedRules(id, family, ips).map(appendLine)];
}

/**
 * Teardown lines for several containers at once: delete every rule outside their chains that
 * carries one of their comments or jumps to one of their chains (whatever its source address: the
 * current `-s <ip>` form and the legacy `-s <ip>/<prefix>` form alike), then flush and delete the
 * chains that exist.
 */
export function planTeardown(ids: readonly IptablesIdentity[], table: SavedTable): string[] {
  const chains = new Set(ids.map((i) => i.chain));
  const comments = new Set(ids.map((i) => i.comment));
  const lines: string[] = [];
  for (const rule of table.rules) {
    if (chains.has(rule.chain)) continue;
    const target = ruleTarget(rule);
    const comment = ruleComment(rule);
    if (
      (target !== undefined && chains.has(target)) ||
      (comment !== undefined && comments.has(comment))
    )
      lines.push(deleteLine(rule));
  }
  for (const chain of chains) {
    if (table.chains.has(chain)) lines.push(`-F ${chain}`, `-X ${chain}`);
  }
  return lines;
}

/**
 * Teardown lines written without reading the table, for a caller that knows the addresses: delete
 * the POSTROUTING jumps setup added for them, then flush and delete the chain. In one
 * `iptables-restore` transaction these either all apply or none does (a jump or the chain
 * missing, or another rule still jumping to the chain), so a failure leaves the table as it was.
 */
export function planKnownTeardown(
  id: IptablesIdentity,
  family: IpFamily,
  ips: readonly IpCidr[],
): string[] {
  const jumps = wantedRules(id, family, ips)
    .filter((rule) => rule.chain === 'POSTROUTING')
    .map((rule) => ['-D', rule.chain, ...rule.args.map(quoteToken)].join(' '));
  return [...jumps, `-F ${id.chain}`, `-X ${id.chain}`];
}

/**
 * The container IDs of `network` that have rules in the table but are not in `keep`: the stale
 * ones GC removes. The network and container come from the rules' comments.
 */
export function staleContainers(
  network: string,
  keep: ReadonlySet<string>,
  table: SavedTable,
): string[] {
  const stale = new Set<string>();
  for (const rule of table.rules) {
    const comment = ruleComment(rule);
    const parsed = comment === undefined ? undefined : parseMasqueradeComment(comment);
    if (parsed && parsed.network === network && !keep.has(parsed.containerId))
      stale.add(parsed.containerId);
  }
  return [...stale];
}

/** Wraps lines into the nat-table restore text. */
export function restoreText(lines: readonly string[]): string {
  return `*nat\n${lines.join('\n')}\nCOMMIT\n`;
}
