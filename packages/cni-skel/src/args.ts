/**
 * CNI_ARGS ("K=V;K=V"): the strict parse of Go's types.LoadArgs for the keys a plugin declares,
 * and the lenient map every handler gets.
 */
import { CniError, ErrorCode } from './errors.js';

/** The CNI_ARGS a handler receives: the raw string and a lenient parse of it. */
export interface CniArgs {
  /** CNI_ARGS exactly as received ("" when unset). */
  readonly raw: string;
  /**
   * Every well-formed `K=V` pair (split at the first '='; pieces without '=' or with an empty key
   * are skipped; a later duplicate wins). Use {@link parseCniArgs} for the strict Go semantics.
   */
  readonly values: Readonly<Record<string, string>>;
}

/** The lenient parse behind {@link CniArgs.values}. */
export function lenientCniArgs(raw: string): CniArgs {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const piece of raw.split(';')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    values[piece.slice(0, eq)] = piece.slice(eq + 1);
  }
  return { raw, values: Object.freeze(values) };
}

// Go's %q of a []string: ["a" "b"].
const goQuoteList = (items: readonly string[]): string =>
  `[${items.map((s) => JSON.stringify(s)).join(' ')}]`;

function argsError(msg: string): CniError {
  // Code 4: CNI_ARGS is an environment variable, and code 4 tells the runtime user to look there
  // (the Go reference returns an untyped error, which its skel turns into 999).
  return new CniError(ErrorCode.InvalidEnvironmentVariables, msg, { details: 'in CNI_ARGS' });
}

function parseIgnoreUnknown(value: string, pair: string): boolean {
  const lower = value.toLowerCase();
  if (lower === '1' || lower === 'true') return true;
  if (lower === '0' || lower === 'false') return false;
  throw argsError(
    `ARGS: error parsing value of pair ${JSON.stringify(pair)}: boolean unmarshal error: invalid input ${lower}`,
  );
}

/**
 * Parses CNI_ARGS with Go `types.LoadArgs` semantics: pairs split on ';' must split on '=' into
 * exactly two parts; keys match `declared` case-sensitively; `IgnoreUnknown` (always accepted,
 * "1"/"true"/"0"/"false" in any case) decides whether undeclared keys are an error. Returns the
 * declared keys that were given (a later duplicate wins). Throws CniError code 4 with the Go
 * message (`ARGS: invalid pair "A"`, `ARGS: unknown args ["X=1"]`, ...).
 */
export function parseCniArgs(raw: string, declared: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === '') return out;
  const known = new Set(declared);
  const unknown: string[] = [];
  let ignoreUnknown = false;
  for (const pair of raw.split(';')) {
    const kv = pair.split('=');
    if (kv.length !== 2) throw argsError(`ARGS: invalid pair ${JSON.stringify(pair)}`);
    const [key = '', value = ''] = kv;
    if (key === 'IgnoreUnknown') ignoreUnknown = parseIgnoreUnknown(value, pair);
    if (key === 'IgnoreUnknown' || known.has(key)) {
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else unknown.push(pair);
  }
  if (unknown.length > 0 && !ignoreUnknown)
    throw argsError(`ARGS: unknown args ${goQuoteList(unknown)}`);
  return out;
}
