/** Small readers for untyped JSON from iproute2: they check the type and never throw on absence. */
import { NetopsError } from '../errors.js';

/** A JSON object, or undefined. */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(o: JsonObject, key: string): boolean | undefined {
  const v = o[key];
  // iproute2 prints some flags as true/false and some as 1/0.
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  return undefined;
}

export function strings(o: JsonObject, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function obj(o: JsonObject, key: string): JsonObject | undefined {
  const v = o[key];
  return isObject(v) ? v : undefined;
}

/** The top-level array iproute2 prints for a `show`, or a parse error. */
export function topArray(json: unknown, what: string): JsonObject[] {
  if (!Array.isArray(json) || !json.every(isObject))
    throw new NetopsError(`unexpected ${what} output from iproute2`, {
      kind: 'failed',
      stage: 'parse',
    });
  return json;
}
