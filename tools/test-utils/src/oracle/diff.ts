/**
 * Human-readable differences between two JSON values (snapshots, results), one line each:
 * `<path>: <what differs>`. Paths use `.key` for plain keys and `["key"]` otherwise, so an
 * allow-list can match a difference by its path prefix.
 */
import type { StateSnapshot } from './snapshot.js';
import { isRecord } from './json-fields.js';

/** Differences between the states of two snapshots (A = first, B = second). */
export function diffStates(a: StateSnapshot, b: StateSnapshot): string[] {
  return diffJson(a.state, b.state);
}

/** Differences between any two JSON values; `path` prefixes every reported path. */
export function diffJson(a: unknown, b: unknown, path = ''): string[] {
  if (Array.isArray(a) && Array.isArray(b)) return diffArrays(a, b, path);
  if (isRecord(a) && isRecord(b)) {
    const out: string[] = [];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const sub = joinPath(path, key);
      if (!(key in b)) out.push(`${sub}: only in A: ${show(a[key])}`);
      else if (!(key in a)) out.push(`${sub}: only in B: ${show(b[key])}`);
      else out.push(...diffJson(a[key], b[key], sub));
    }
    return out;
  }
  if (Object.is(a, b)) return [];
  return [`${path || '(root)'}: A ${show(a)} ≠ B ${show(b)}`];
}

function diffArrays(a: readonly unknown[], b: readonly unknown[], path: string): string[] {
  const primitive = (v: unknown): boolean => v === null || typeof v !== 'object';
  if (a.every(primitive) && b.every(primitive)) {
    // Lists of lines (rules, routes, addresses): report what is missing on each side.
    const out: string[] = [];
    const rest = [...b];
    const onlyA: unknown[] = [];
    for (const item of a) {
      const i = rest.findIndex((x) => Object.is(x, item));
      if (i < 0) onlyA.push(item);
      else rest.splice(i, 1);
    }
    for (const item of onlyA) out.push(`${path || '(root)'}: only in A: ${show(item)}`);
    for (const item of rest) out.push(`${path || '(root)'}: only in B: ${show(item)}`);
    if (out.length === 0 && a.some((item, i) => !Object.is(item, b[i])))
      out.push(`${path || '(root)'}: same entries in another order`);
    return out;
  }
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const sub = `${path}[${i}]`;
    if (i >= b.length) out.push(`${sub}: only in A: ${show(a[i])}`);
    else if (i >= a.length) out.push(`${sub}: only in B: ${show(b[i])}`);
    else out.push(...diffJson(a[i], b[i], sub));
  }
  return out;
}

function joinPath(path: string, key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
