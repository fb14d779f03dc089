/**
 * A JSON reader that keeps what Go's encoding/json looks at and JSON.parse throws away: the literal
 * text of numbers (Go reports `number 1e3` when it cannot store it in an int) and the order of keys
 * (Go assigns fields in document order, so a later case-variant key wins).
 */

/** A parsed JSON value with Go-relevant detail kept. */
export type GoJsonValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly GoJsonValue[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, GoJsonValue]> };

/** Raised for text that is not JSON (the skel normally refuses such stdin first). */
export class GoJsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}
Object.defineProperty(GoJsonSyntaxError.prototype, 'name', { value: 'GoJsonSyntaxError' });

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

/** Parses JSON text into {@link GoJsonValue}s. */
export function parseGoJson(text: string): GoJsonValue {
  let pos = 0;

  const fail = (what: string): never => {
    throw new GoJsonSyntaxError(`invalid JSON: ${what} at offset ${pos}`, pos);
  };
  const skip = (): void => {
    WS.lastIndex = pos;
    WS.exec(text);
    pos = WS.lastIndex;
  };
  const expect = (ch: string): void => {
    if (text[pos] !== ch) fail(`expected '${ch}'`);
    pos += 1;
  };

  const readString = (): string => {
    expect('"');
    let out = '';
    for (;;) {
      const ch = text[pos];
      if (ch === undefined) return fail('unterminated string');
      if (ch === '"') {
        pos += 1;
        return out;
      }
      if (ch === '\\') {
        const esc = text[pos + 1];
        pos += 2;
        switch (esc) {
          case '"':
          case '\\':
          case '/':
            out += esc;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = text.slice(pos, pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            fail('bad escape');
        }
        continue;
      }
      if (ch < ' ') fail('control character in string');
      out += ch;
      pos += 1;
    }
  };

  const readValue = (): GoJsonValue => {
    skip();
    const ch = text[pos];
    if (ch === '{') {
      pos += 1;
      const entries: Array<readonly [string, GoJsonValue]> = [];
      skip();
      if (text[pos] === '}') {
        pos += 1;
        return { kind: 'object', entries };
      }
      for (;;) {
        skip();
        const key = readString();
        skip();
        expect(':');
        entries.push([key, readValue()]);
        skip();
        if (text[pos] === ',') {
          pos += 1;
          continue;
        }
        expect('}');
        return { kind: 'object', entries };
      }
    }
    if (ch === '[') {
      pos += 1;
      const items: GoJsonValue[] = [];
      skip();
      if (text[pos] === ']') {
        pos += 1;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(readValue());
        skip();
        if (text[pos] === ',') {
          pos += 1;
          continue;
        }
        expect(']');
        return { kind: 'array', items };
      }
    }
    if (ch === '"') return { kind: 'string', value: readString() };
    for (const [word, value] of [
      ['true', { kind: 'bool', value: true }],
      ['false', { kind: 'bool', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m === null) return fail('unexpected character');
    pos = NUMBER.lastIndex;
    return { kind: 'number', text: m[0] };
  };

  const value = readValue();
  skip();
  if (pos !== text.length) fail('trailing data');
  return value;
}

/**
 * {@link parseGoJson}'s answer through the engine's JSON.parse where that gives the same one, or
 * undefined. A character loop in cold JavaScript costs milliseconds on every call of the Bun
 * executable; JSON.parse costs a tenth of one. It keeps both things Go looks at when:
 * - the engine hands revivers each number's source text (JSC does; Node 20's V8 does not);
 * - no key occurs twice in an object (JSON.parse keeps only the last one, where Go assigns both in
 *   turn), and none starts with a digit (JS puts integer-like keys first): an object's keys then
 *   come back in document order. A text without backslashes has its strings between quote pairs,
 *   so the colons outside them count the members the text has.
 */
export function parseGoJsonFast(text: string): GoJsonValue | undefined {
  if (!READS_SOURCE_TEXT || text.includes('\\')) return undefined;
  let members = 0;
  let reordered = false;
  const revive = (_key: string, value: unknown, context?: { source?: string }): GoJsonValue => {
    if (value === null) return { kind: 'null' };
    switch (typeof value) {
      case 'boolean':
        return { kind: 'bool', value };
      case 'string':
        return { kind: 'string', value };
      case 'number':
        return { kind: 'number', text: context?.source ?? String(value) };
    }
    if (Array.isArray(value)) return { kind: 'array', items: value as GoJsonValue[] };
    const entries = Object.entries(value as Record<string, GoJsonValue>);
    members += entries.length;
    for (const [key] of entries) if (startsWithDigit(key)) reordered = true;
    return { kind: 'object', entries };
  };
  let value: GoJsonValue;
  try {
    value = JSON.parse(text, revive as (key: string, value: unknown) => unknown) as GoJsonValue;
  } catch {
    return undefined; // not JSON: parseGoJson words the error
  }
  return !reordered && members === colonsOutsideStrings(text) ? value : undefined;
}

const startsWithDigit = (key: string): boolean => {
  const c = key.charCodeAt(0);
  return c >= 0x30 && c <= 0x39;
};

/** Whether JSON.parse gives revivers the source text of primitives (ES2025 JSON.parse source). */
const READS_SOURCE_TEXT = ((): boolean => {
  try {
    const sourceOf = (_key: string, value: unknown, context?: { source?: string }): unknown =>
      context?.source ?? value;
    return JSON.parse('1e0', sourceOf) === '1e0';
  } catch {
    return false;
  }
})();

/** The colons outside strings of a JSON text without backslashes: every other quote-split part. */
function colonsOutsideStrings(text: string): number {
  const parts = text.split('"');
  let colons = 0;
  for (let i = 0; i < parts.length; i += 2) colons += parts[i]!.split(':').length - 1;
  return colons;
}

/** Converts a {@link GoJsonValue} back to a plain JS value (numbers via Number()). */
export function toPlain(value: GoJsonValue): unknown {
  switch (value.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'string':
      return value.value;
    case 'number':
      return Number(value.text);
    case 'array':
      return value.items.map(toPlain);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value.entries) out[k] = toPlain(v);
      return out;
    }
  }
}
