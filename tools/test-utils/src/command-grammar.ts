/**
 * A strict grammar for what a plugin hands to the programs it runs, so that injection tests can
 * check every recorded call: argv elements, `ip -batch` / `bridge -batch` lines, and the scripts
 * given to `iptables-restore` and `nft -f`. Written independently of the packages' own
 * validators: it is the fence the tests hold them to, not a copy of them.
 */
import type { RecordedCall } from './recording-runner.js';

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const WHITE_SPACE = /\p{White_Space}/u;
/** A lone surrogate: text that is not valid UTF-16, so not valid UTF-8 on a command line. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Characters the iproute2 batch reader gives a meaning: quotes, comments, escapes. */
const BATCH_SYNTAX = /["'#\\]/;
const MAX_IFNAME_BYTES = 15;
const encoder = new TextEncoder();

const show = (s: string): string => JSON.stringify(s);

/** Why `text` cannot be a plain command-line element, or undefined when it can. */
export function plainTextProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return 'not a string';
  if (LONE_SURROGATE.test(text)) return 'lone surrogate';
  if (CONTROL.test(text)) return 'control character';
  return undefined;
}

/** Why `word` cannot be one word of a batch line, or undefined when it can. */
export function batchWordProblem(word: string): string | undefined {
  if (word === '') return 'empty word';
  const plain = plainTextProblem(word);
  if (plain !== undefined) return plain;
  if (WHITE_SPACE.test(word)) return 'white space';
  if (BATCH_SYNTAX.test(word)) return 'quote, "#" or backslash';
  return undefined;
}

/** Why `name` is not a safe Linux interface name (1-15 bytes, no "/" ":" blanks or syntax). */
export function interfaceNameProblem(name: string): string | undefined {
  const word = batchWordProblem(name);
  if (word !== undefined) return word;
  if (encoder.encode(name).length > MAX_IFNAME_BYTES) return 'longer than 15 bytes';
  if (name === '.' || name === '..') return '"." or ".."';
  if (/[/:]/.test(name)) return '"/" or ":"';
  return undefined;
}

/** Why `path` is not a safe namespace path (absolute, no "..", no blanks or batch syntax). */
export function netnsPathProblem(path: string): string | undefined {
  const word = batchWordProblem(path);
  if (word !== undefined) return word;
  if (!path.startsWith('/')) return 'not absolute';
  if (path.length > 4096) return 'too long';
  if (path.split('/').includes('..')) return '".." segment';
  return undefined;
}

const INT = /^(0|[1-9][0-9]{0,9})$/;
const ADDRESS = /^[0-9a-fA-F:.]+$/;
const CIDR = /^[0-9a-fA-F:.]+\/[0-9]{1,3}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const TOKEN = /^[a-z0-9_]+$/;

type WordCheck = (word: string) => string | undefined;

const matching =
  (pattern: RegExp, what: string): WordCheck =>
  (word) =>
    pattern.test(word) ? undefined : `not ${what}`;

const intIn =
  (min: number, max: number): WordCheck =>
  (word) =>
    INT.test(word) && Number(word) >= min && Number(word) <= max
      ? undefined
      : `not an integer in [${min}, ${max}]`;

/** What may follow each keyword in an iproute2 batch line. */
const IP_KEYWORDS: Readonly<Record<string, WordCheck>> = {
  name: interfaceNameProblem,
  dev: interfaceNameProblem,
  master: interfaceNameProblem,
  address: matching(MAC, 'a lower-case MAC'),
  mtu: intIn(68, 65535),
  txqueuelen: intIn(0, 0xffffffff),
  metric: intIn(0, 0xffffffff),
  vid: intIn(1, 4094),
  netns: netnsPathProblem,
  via: matching(ADDRESS, 'an address'),
  src: matching(ADDRESS, 'an address'),
  table: matching(TOKEN, 'a table'),
  scope: matching(TOKEN, 'a scope'),
  type: matching(TOKEN, 'a type'),
};

/** `bridge` uses `master` and `self` as flags, not as keywords with a value. */
const BRIDGE_FLAGS = new Set(['master', 'self']);

/** What the first word after `<object> <verb>` must be, for objects that take a prefix. */
const POSITIONAL: Readonly<Record<string, WordCheck>> = {
  addr: (w) => (CIDR.test(w) ? undefined : 'not an address with a prefix length'),
  route: (w) => (CIDR.test(w) || w === 'default' ? undefined : 'not a route destination'),
};
const POSITIONAL_VERBS = new Set(['add', 'del', 'prepend', 'replace', 'change', 'append']);

function lineProblems(line: string, tool: 'ip' | 'bridge'): string[] {
  if (line === '') return ['empty line'];
  const words = line.split(' ');
  const problems: string[] = [];
  words.forEach((w, i) => {
    const p = batchWordProblem(w);
    if (p !== undefined) problems.push(`word ${i + 1} ${show(w)}: ${p}`);
  });
  if (problems.length > 0) return problems;
  const [object = '', verb = ''] = words;
  const positional = POSITIONAL[object];
  if (tool === 'ip' && positional && POSITIONAL_VERBS.has(verb) && words[2] !== undefined) {
    const p = positional(words[2]);
    if (p !== undefined) problems.push(`${object} ${verb} ${show(words[2])}: ${p}`);
  }
  for (let i = 2; i < words.length; i++) {
    const keyword = words[i] ?? '';
    if (tool === 'bridge' && BRIDGE_FLAGS.has(keyword)) continue;
    const check = IP_KEYWORDS[keyword];
    if (check === undefined) continue;
    const value = words[i + 1];
    if (value === undefined) {
      problems.push(`keyword ${show(keyword)} without a value`);
      continue;
    }
    const p = check(value);
    if (p !== undefined) problems.push(`${keyword} ${show(value)}: ${p}`);
    i += 1;
  }
  return problems;
}

/**
 * Checks the stdin of `ip -batch -` or `bridge -batch -`: newline-terminated lines of words
 * separated by single spaces, every word free of blanks, controls, quotes, `#` and backslashes,
 * and the word after each keyword (`dev`, `name`, `master`, `address`, `mtu`, `netns`, `vid`...)
 * of the right form. Returns the problems, each naming its line.
 */
export function batchProblems(text: string, tool: 'ip' | 'bridge'): string[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) return ['batch does not end with a newline'];
  return text
    .slice(0, -1)
    .split('\n')
    .flatMap((line, i) => lineProblems(line, tool).map((p) => `line ${i + 1} ${show(line)}: ${p}`));
}

/** Removes backslash escapes inside double-quoted strings, then tells whether quotes balance. */
function quotesBalanced(line: string): boolean {
  let inside = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inside && ch === '\\') {
      i += 1;
      continue;
    }
    if (ch === '"') inside = !inside;
  }
  return !inside;
}

/**
 * Checks a script for `iptables-restore` or `nft -f`: newline-terminated lines of printable ASCII
 * (every name that reaches a rule is ASCII once validated), double quotes balanced on each line,
 * no line continuation.
 */
export function scriptProblems(text: string): string[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) return ['script does not end with a newline'];
  const problems: string[] = [];
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, i) => {
      const where = `line ${i + 1} ${show(line)}`;
      if (!/^[\x20-\x7e]*$/.test(line)) problems.push(`${where}: not printable ASCII`);
      else if (!quotesBalanced(line)) problems.push(`${where}: unbalanced quotes`);
      else if (line.endsWith('\\')) problems.push(`${where}: line continuation`);
    });
  return problems;
}

/** Options of {@link callProblems}. */
export interface GrammarOptions {
  /**
   * Exact argv elements that may hold newlines and quotes: constant programs such as the text
   * after `sh -c`, captured from a harmless run. Any other `sh -c` program is a problem.
   */
  trustedArgs?: ReadonlySet<string>;
}

const SYSCTL_NAME = /^[A-Za-z0-9_.@+-]+(\/[A-Za-z0-9_.@+-]+)*$/;

function sysctlProblems(name: string, value: string, flags: string): string[] {
  const problems: string[] = [];
  if (!SYSCTL_NAME.test(name) || name.split('/').some((s) => s === '.' || s === '..'))
    problems.push(`sysctl name ${show(name)}`);
  if (value === '' || plainTextProblem(value) !== undefined)
    problems.push(`sysctl value ${show(value)}`);
  if (!/^[oa]*-$/.test(flags)) problems.push(`sysctl flags ${show(flags)}`);
  return problems;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The problems of argv from position 0 on, unwrapping nsenter and the sysctl script. */
function argvProblems(argv: readonly string[], input: string, options: GrammarOptions): string[] {
  const [program = '', ...args] = argv;
  if (program === 'nsenter') {
    const [net = '', dashes, ...rest] = args;
    const path = net.startsWith('--net=') ? net.slice('--net='.length) : undefined;
    const problems: string[] = [];
    if (path === undefined || dashes !== '--')
      problems.push(`nsenter ${show(net)} not --net=PATH --`);
    else {
      const p = netnsPathProblem(path);
      if (p !== undefined) problems.push(`nsenter path ${show(path)}: ${p}`);
    }
    return [...problems, ...argvProblems(rest, input, options)];
  }
  if (program === 'sh' && args[0] === '-c') {
    const [, script = '', , root = '', count = '', ...rest] = args;
    const problems: string[] = [];
    if (!options.trustedArgs?.has(script)) problems.push(`untrusted sh -c program ${show(script)}`);
    const rootProblem = netnsPathProblem(root);
    if (rootProblem !== undefined) problems.push(`sysctl root ${show(root)}: ${rootProblem}`);
    const n = INT.test(count) ? Number(count) : -1;
    if (n < 0 || rest.length < 3 * n)
      return [...problems, `sh -c: bad sysctl count ${show(count)}`];
    for (let i = 0; i < n; i++)
      problems.push(
        ...sysctlProblems(rest[3 * i] ?? '', rest[3 * i + 1] ?? '', rest[3 * i + 2] ?? ''),
      );
    const command = rest.slice(3 * n);
    return command.length === 0
      ? problems
      : [...problems, ...argvProblems(command, input, options)];
  }
  const name = basename(program);
  if ((name === 'ip' || name === 'bridge') && args.includes('-batch'))
    return batchProblems(input, name).map((p) => `${name} batch ${p}`);
  if (
    name === 'iptables-restore' ||
    name === 'ip6tables-restore' ||
    (name === 'nft' && args.includes('-f'))
  )
    return scriptProblems(input).map((p) => `${name} script ${p}`);
  return [];
}

/**
 * Every problem of one recorded call: each argv element must be well-formed text without control
 * characters (unless trusted), the namespace path must be safe, and the stdin of a batch or
 * rule-script program must follow {@link batchProblems} or {@link scriptProblems}. Stdin of other
 * programs (an IPAM plugin gets the network config byte for byte) is not judged.
 */
export function callProblems(call: RecordedCall, options: GrammarOptions = {}): string[] {
  const problems: string[] = [];
  call.argv.forEach((arg, i) => {
    if (options.trustedArgs?.has(arg)) return;
    const p = plainTextProblem(arg);
    if (p !== undefined) problems.push(`argv[${i}] ${show(arg)}: ${p}`);
  });
  if (call.netns !== undefined) {
    const p = netnsPathProblem(call.netns);
    if (p !== undefined) problems.push(`netns ${show(call.netns)}: ${p}`);
  }
  problems.push(...argvProblems(call.argv, call.input, options));
  const head = call.argv.slice(0, 3).join(' ');
  return problems.map((p) => `${head}: ${p}`);
}
