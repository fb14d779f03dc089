/**
 * Fuzzing CNI_ARGS: `parseCniArgs` against a model of Go's types.LoadArgs, on pair lists with any
 * number of `=`, IgnoreUnknown in every spelling, and hostile text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCniError, parseCniArgs } from '../../src/index.js';
import { cniArgsString, hostileString } from './arbitraries.js';

type ModelResult = { ok: Array<[string, string]> } | { error: 'pair' | 'bool' | 'unknown' };

/** Go's LoadArgs for a struct with the `declared` fields plus the embedded IgnoreUnknown. */
function loadArgsModel(raw: string, declared: readonly string[]): ModelResult {
  if (raw === '') return { ok: [] };
  const values = new Map<string, string>();
  let unknown = 0;
  let ignoreUnknown = false;
  for (const pair of raw.split(';')) {
    const kv = pair.split('=');
    if (kv.length !== 2) return { error: 'pair' };
    const [key = '', value = ''] = kv;
    if (key === 'IgnoreUnknown') {
      const v = value.toLowerCase();
      if (v !== '1' && v !== 'true' && v !== '0' && v !== 'false') return { error: 'bool' };
      ignoreUnknown = v === '1' || v === 'true';
      values.set(key, value);
    } else if (declared.includes(key)) {
      values.set(key, value);
    } else unknown += 1;
  }
  if (unknown > 0 && !ignoreUnknown) return { error: 'unknown' };
  return { ok: [...values.entries()] };
}

const MESSAGE_START = {
  pair: 'ARGS: invalid pair "',
  bool: 'ARGS: error parsing value of pair "',
  unknown: 'ARGS: unknown args [',
} as const;

const declaredKeys = fc.uniqueArray(
  fc.oneof(
    fc.constantFrom('MAC', 'IP', 'K8S_POD_NAME', '__proto__', 'constructor'),
    fc.string({ maxLength: 5 }),
  ),
  { maxLength: 4 },
);

describe('fuzzing CNI_ARGS', () => {
  it('parseCniArgs returns what Go LoadArgs would, or throws code 4 with its message', () => {
    fc.assert(
      fc.property(fc.oneof(cniArgsString, hostileString), declaredKeys, (raw, declared) => {
        const want = loadArgsModel(raw, declared);
        let got: Record<string, string> | undefined;
        let thrown: unknown;
        try {
          got = parseCniArgs(raw, declared);
        } catch (err) {
          thrown = err;
        }
        if ('ok' in want) {
          expect(thrown).toBeUndefined();
          expect(Object.entries(got ?? {}).sort()).toEqual([...want.ok].sort());
        } else {
          expect(isCniError(thrown)).toBe(true);
          if (!isCniError(thrown)) return;
          expect(thrown.code).toBe(4);
          expect(thrown.msg.startsWith(MESSAGE_START[want.error])).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('no CNI_ARGS key reaches Object.prototype', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'),
            fc.string({ maxLength: 4 }),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        (pairs) => {
          const raw = [
            'IgnoreUnknown=1',
            ...pairs.map(([k, v]) => `${k}=${v.replace(/[;=]/g, '')}`),
          ].join(';');
          const out = parseCniArgs(raw, ['__proto__', 'constructor', 'prototype', 'toString']);
          expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
          expect(Object.keys(Object.prototype)).toEqual([]);
          for (const [k] of pairs) expect(Object.prototype.hasOwnProperty.call(out, k)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
