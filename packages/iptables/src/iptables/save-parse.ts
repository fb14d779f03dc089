/**
 * Reading `iptables-save -t nat` output: the chains of the table and its rules, each kept both as
 * the original line (so a delete can repeat it exactly) and as tokens (to compare and inspect).
 */
import { canonicalAddressText } from '../address-text.js';

/** One `-A CHAIN ...` line. */
export interface SavedRule {
  chain: string;
  /** The tokens after `-A CHAIN`, quotes removed. */
  args: string[];
  /** The line as printed, e.g. `-A POSTROUTING -s 10.0.0.5/32 -m comment --comment "x" -j CNI-…`. */
  line: string;
}

/** The chains and rules of one table. */
export interface SavedTable {
  chains: Set<string>;
  rules: SavedRule[];
}

/** Splits a save/restore line into tokens: double quotes group, backslash escapes inside them. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i += 1;
    if (i >= line.length) break;
    let token = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '"') {
        i += 1;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < line.length) i += 1;
          token += line[i];
          i += 1;
        }
        i += 1; // closing quote
      } else {
        token += line[i];
        i += 1;
      }
    }
    out.push(token);
  }
  return out;
}

/** Quotes a token the way iptables-save does when it contains anything but plain characters. */
export function quoteToken(token: string): string {
  if (/^[A-Za-z0-9_.:/!+-]+$/.test(token)) return token;
  return `"${token.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Parses the `*<table>` section of iptables-save output. */
export function parseSave(text: string, table = 'nat'): SavedTable {
  const chains = new Set<string>();
  const rules: SavedRule[] = [];
  let inTable = false;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('*')) inTable = line === `*${table}`;
    else if (!inTable || line === '' || line.startsWith('#')) continue;
    else if (line === 'COMMIT') inTable = false;
    else if (line.startsWith(':')) chains.add(line.slice(1).split(' ')[0] ?? '');
    else if (line.startsWith('-A ')) {
      const [, chain = '', ...args] = tokenize(line);
      rules.push({ chain, args, line });
    }
  }
  return { chains, rules };
}

/** The value following `option` among the args (e.g. the comment, the jump target). */
export function optionValue(args: readonly string[], option: string): string | undefined {
  const i = args.indexOf(option);
  return i < 0 ? undefined : args[i + 1];
}

/** The comment of a rule, if it has one. */
export function ruleComment(rule: SavedRule): string | undefined {
  return optionValue(rule.args, '--comment');
}

/** The jump target of a rule (`-j` or `-g`). */
export function ruleTarget(rule: SavedRule): string | undefined {
  return optionValue(rule.args, '-j') ?? optionValue(rule.args, '-g');
}

/** A comparison key: args with addresses in canonical form, so our text and iptables' agree. */
export function ruleKey(args: readonly string[]): string {
  return JSON.stringify(args.map(canonicalAddressText));
}
