/**
 * Validation of every name and value that reaches a command line or a batch line. iproute2's batch
 * reader splits lines on blanks, honours quotes at the start of a word, cuts everything after a `#`
 * and joins lines ending in `\`; so a value containing any of those could smuggle a second command
 * or option into a batch. Everything is checked here before a line is built, and the line builder
 * re-checks each word ({@link assertBatchWord}) as a second fence.
 */
import { invalid } from './errors.js';
import {
  hasLoneSurrogate,
  isBatchSpecial,
  isControlOrSpace,
  someUnit,
  utf8Length,
} from './text-scan.js';

const IFNAMSIZ = 16;

/** A path separator or the colon of an alias label: not in a link name. */
const isSlashOrColon = (unit: number): boolean => unit === 0x2f || unit === 0x3a;

/** Why `name` is not a usable interface name, or undefined when it is. */
export function ifNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'not a string';
  if (hasLoneSurrogate(name)) return 'is not valid text (a lone UTF-16 surrogate)';
  const bytes = utf8Length(name);
  if (bytes === 0) return 'empty';
  if (bytes >= IFNAMSIZ) return `longer than ${IFNAMSIZ - 1} bytes`;
  if (name === '.' || name === '..') return 'is "." or ".."';
  if (someUnit(name, isControlOrSpace)) return 'contains whitespace or a control character';
  if (someUnit(name, isSlashOrColon)) return 'contains "/" or ":"';
  if (someUnit(name, isBatchSpecial)) return 'contains a quote, "#" or "\\"';
  return undefined;
}

/** True for a valid Linux interface name that is also safe in a batch line. */
export function isValidIfName(name: unknown): name is string {
  return ifNameProblem(name) === undefined;
}

/**
 * Checks an interface name: 1-15 bytes, not `.`/`..`, no whitespace, control characters, `/`, `:`,
 * quotes, `#` or backslash. Returns it unchanged; throws a NetopsError of kind `invalid`.
 */
export function assertIfName(name: string, what = 'interface name'): string {
  const problem = ifNameProblem(name);
  if (problem) throw invalid(`invalid ${what} ${JSON.stringify(name)}: ${problem}`);
  return name;
}

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;

/**
 * Checks a 48-bit MAC (`aa:bb:cc:dd:ee:ff`, or with `-`) and returns it lowercase with colons.
 * Throws a NetopsError of kind `invalid`.
 */
export function normalizeMac(mac: string): string {
  if (typeof mac !== 'string' || !MAC.test(mac))
    throw invalid(`invalid MAC ${JSON.stringify(mac)}`);
  return mac.toLowerCase().replaceAll('-', ':');
}

/** True for a unicast MAC (the multicast bit of the first octet clear), which links accept. */
export function isUnicastMac(mac: string): boolean {
  return (parseInt(normalizeMac(mac).slice(0, 2), 16) & 1) === 0;
}

/**
 * Checks a namespace path: absolute, no `..` segment, no blanks, control characters, quotes, `#`
 * or backslash (it is written into batch lines as `netns PATH`). Returns it unchanged.
 */
export function assertNetnsPath(path: string): string {
  if (
    typeof path !== 'string' ||
    !path.startsWith('/') ||
    path.length > 4096 ||
    hasLoneSurrogate(path) ||
    someUnit(path, isControlOrSpace) ||
    someUnit(path, isBatchSpecial) ||
    path.split('/').includes('..')
  )
    throw invalid(`invalid network namespace path ${JSON.stringify(path)}`);
  return path;
}

/** Checks an integer in [min, max] and returns its decimal text. */
export function intWord(value: number, min: number, max: number, what: string): string {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw invalid(`invalid ${what} ${String(value)}: want an integer in [${min}, ${max}]`);
  return String(value);
}

/** Checks an MTU (68..65535, the IPv4 minimum to the 16-bit maximum). */
export function mtuWord(mtu: number): string {
  return intWord(mtu, 68, 65535, 'MTU');
}

/**
 * The last fence before a word is written into a batch line: non-empty, no blanks, control
 * characters, quotes, `#` or backslash. Throws a NetopsError of kind `invalid`.
 */
export function assertBatchWord(word: string): string {
  if (
    typeof word !== 'string' ||
    word.length === 0 ||
    hasLoneSurrogate(word) ||
    someUnit(word, isControlOrSpace) ||
    someUnit(word, isBatchSpecial)
  )
    throw invalid(`refusing batch word ${JSON.stringify(word)}`);
  return word;
}

/** A C0 control character other than tab, or DEL. */
const isControlButTab = (unit: number): boolean => (unit < 0x20 && unit !== 0x09) || unit === 0x7f;

/** Checks a value for a process argument or a file write: no control characters but tab. */
export function assertPlainText(text: string, what: string): string {
  if (typeof text !== 'string' || someUnit(text, isControlButTab))
    throw invalid(`invalid ${what} ${JSON.stringify(text)}: control character`);
  if (hasLoneSurrogate(text)) throw invalid(`invalid ${what}: a lone UTF-16 surrogate`);
  return text;
}
