/**
 * Decodes a {@link GoJsonValue} into a described Go type the way encoding/json does: keys match
 * field names exactly or else case-insensitively, unknown keys are ignored, `null` leaves
 * non-nillable values untouched, and a value of the wrong JSON type yields Go's
 * `json: cannot unmarshal X into Go struct field S.a.b of type T` (the first such error wins; decoding
 * goes on, as in Go).
 */
import { toPlain, type GoJsonValue } from './go-json.js';

/** A Go type the decoder can fill. */
export type GoType =
  | { readonly t: 'bool' }
  | { readonly t: 'int' }
  | { readonly t: 'string' }
  | { readonly t: 'any' }
  | { readonly t: 'ptr'; readonly elem: GoType }
  | { readonly t: 'slice'; readonly elem: GoType }
  | { readonly t: 'map'; readonly elem: GoType }
  | GoStruct;

/** A Go struct: `name` is what reflect's Name() gives ('' when anonymous), `goName` its String(). */
export interface GoStruct {
  readonly t: 'struct';
  readonly name: string;
  readonly goName: string;
  readonly fields: readonly GoField[];
}

/** A struct field: its JSON name and type. */
export interface GoField {
  readonly json: string;
  readonly type: GoType;
}

/** The first type mismatch met while decoding, worded as Go's UnmarshalTypeError. */
export class GoUnmarshalTypeError extends Error {
  constructor(
    readonly value: string,
    readonly goType: string,
    readonly struct: string | undefined,
    readonly field: string,
  ) {
    super(
      struct === undefined
        ? `json: cannot unmarshal ${value} into Go value of type ${goType}`
        : `json: cannot unmarshal ${value} into Go struct field ${struct}.${field} of type ${goType}`,
    );
  }
}
Object.defineProperty(GoUnmarshalTypeError.prototype, 'name', { value: 'GoUnmarshalTypeError' });

/** Go's String() of a type, as printed in UnmarshalTypeError. */
export function goTypeName(type: GoType): string {
  switch (type.t) {
    case 'bool':
    case 'int':
    case 'string':
      return type.t;
    case 'any':
      return 'interface {}';
    case 'ptr':
      return `*${goTypeName(type.elem)}`;
    case 'slice':
      return `[]${goTypeName(type.elem)}`;
    case 'map':
      return `map[string]${goTypeName(type.elem)}`;
    case 'struct':
      return type.goName;
  }
}

interface Context {
  struct: string | undefined;
  fields: string[];
}

/**
 * A JSON number literal as Go's int takes it: integer syntax (no fraction, no exponent) within
 * range; undefined otherwise. The range is what a double holds exactly (±(2^53 − 1)), not all of
 * int64: beyond it a value would be decoded inexactly (and printed so in errors), and no field of
 * the config means anything there (MTU ≤ 65535, VLAN IDs ≤ 4094, each checked after decoding).
 * Such a value is refused here, as Go refuses one beyond int64 (docs/compatibility.md). Short
 * literals skip the range check (15 digits are always exact).
 */
function goInt(text: string): number | undefined {
  if (text.includes('.') || text.includes('e') || text.includes('E')) return undefined;
  const n = Number(text) + 0; // + 0 turns -0 into 0, as Go's ParseInt
  return text.length <= 15 || Number.isSafeInteger(n) ? n : undefined;
}

// Made from their codes: bundlers print '\u212a' as the character itself, and one character
// outside ASCII makes V8 hold the whole Node bundle as a two-byte string (about 1 ms more to
// read, see the built-entry tests).
const KELVIN_SIGN = String.fromCharCode(0x212a);
const LONG_S = String.fromCharCode(0x17f);

/** Go's case folding for key matching (ASCII case plus the Kelvin sign and long s). */
const fold = (s: string): string =>
  s.replaceAll(KELVIN_SIGN, 'k').replaceAll(LONG_S, 's').toLowerCase();

interface FieldIndex {
  exact: Map<string, GoField>;
  /** By folded name; the first of fields that fold alike, as Go's first match. */
  folded: Map<string, GoField>;
}

const fieldIndexes = new WeakMap<GoStruct, FieldIndex>();

/** A struct's fields by JSON name, built once per type. */
function fieldsByName(type: GoStruct): FieldIndex {
  let index = fieldIndexes.get(type);
  if (index === undefined) {
    index = { exact: new Map(), folded: new Map() };
    for (const f of type.fields) {
      if (!index.exact.has(f.json)) index.exact.set(f.json, f);
      const folded = fold(f.json);
      if (!index.folded.has(folded)) index.folded.set(folded, f);
    }
    fieldIndexes.set(type, index);
  }
  return index;
}

class Decoder {
  firstError: GoUnmarshalTypeError | undefined;

  mismatch(value: string, type: GoType, ctx: Context): void {
    this.firstError ??= new GoUnmarshalTypeError(
      value,
      goTypeName(type),
      ctx.struct,
      ctx.fields.join('.'),
    );
  }

  decode(value: GoJsonValue, type: GoType, current: unknown, ctx: Context): unknown {
    if (value.kind === 'null') {
      // null sets nillable kinds to nil and leaves everything else as it was.
      return type.t === 'ptr' || type.t === 'slice' || type.t === 'map' || type.t === 'any'
        ? undefined
        : current;
    }
    // A pointer is allocated (or reused) and the value stored through it; errors name the element.
    if (type.t === 'ptr') return this.decode(value, type.elem, current, ctx);
    if (type.t === 'any') return toPlain(value);
    switch (value.kind) {
      case 'bool':
        if (type.t === 'bool') return value.value;
        this.mismatch('bool', type, ctx);
        return current;
      case 'string':
        if (type.t === 'string') return value.value;
        this.mismatch('string', type, ctx);
        return current;
      case 'number':
        if (type.t === 'int') {
          const n = goInt(value.text);
          if (n !== undefined) return n;
          this.mismatch(`number ${value.text}`, type, ctx);
          return current;
        }
        this.mismatch('number', type, ctx);
        return current;
      case 'array':
        if (type.t === 'slice')
          return value.items.map((item) => this.decode(item, type.elem, undefined, ctx));
        this.mismatch('array', type, ctx);
        return current;
      case 'object':
        if (type.t === 'map') {
          const out: Record<string, unknown> = { ...(current as Record<string, unknown>) };
          for (const [k, v] of value.entries) out[k] = this.decode(v, type.elem, out[k], ctx);
          return out;
        }
        if (type.t === 'struct') return this.struct(value.entries, type, current, ctx);
        this.mismatch('object', type, ctx);
        return current;
    }
  }

  struct(
    entries: ReadonlyArray<readonly [string, GoJsonValue]>,
    type: GoStruct,
    current: unknown,
    ctx: Context,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { ...(current as Record<string, unknown> | undefined) };
    const byName = fieldsByName(type);
    for (const [key, v] of entries) {
      const field = byName.exact.get(key) ?? byName.folded.get(fold(key));
      if (field === undefined) continue;
      const inner: Context = { struct: type.name, fields: [...ctx.fields, field.json] };
      out[field.json] = this.decode(v, field.type, out[field.json], inner);
    }
    return out;
  }
}

/**
 * Decodes `value` into a struct type over `defaults` (fields Go would have pre-set).
 * @throws GoUnmarshalTypeError for the first value of the wrong JSON type.
 */
export function decodeGoStruct(
  value: GoJsonValue,
  type: GoStruct,
  defaults: Record<string, unknown> = {},
): Record<string, unknown> {
  const decoder = new Decoder();
  const ctx: Context = { struct: undefined, fields: [] };
  let out: Record<string, unknown> = { ...defaults };
  if (value.kind === 'object') out = decoder.struct(value.entries, type, out, ctx);
  else if (value.kind !== 'null')
    decoder.mismatch(value.kind === 'bool' ? 'bool' : value.kind, type, ctx);
  if (decoder.firstError) throw decoder.firstError;
  return out;
}
