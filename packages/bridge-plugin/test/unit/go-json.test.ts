/**
 * The Go JSON reader: its fast path (JSON.parse with number source texts) answers exactly as the
 * character reader does, or leaves the text to it. Run under bun (the fast path needs JSC) and on
 * Node, where it must answer the same or not at all.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGoJson, parseGoJsonFast } from '../../src/config/go-json.js';
import { FAST_CASES, SLOW_CASES } from './go-json-cases.js';

const BUN = join(import.meta.dirname, '../../../../node_modules/.bin/bun');
const PROBE = join(import.meta.dirname, 'go-json-probe.ts');

describe('parseGoJsonFast under bun', () => {
  const seen = JSON.parse(
    execFileSync(BUN, ['--conditions=@cnikit/source', PROBE], { encoding: 'utf8' }),
  ) as Record<string, { fast: unknown; slow: unknown }>;

  it.each(Object.keys(FAST_CASES))('answers %s as parseGoJson does', (name) => {
    expect(seen[name]?.fast).not.toBeNull();
    expect(seen[name]?.fast).toEqual(seen[name]?.slow);
  });

  it.each(Object.keys(SLOW_CASES))('leaves %s to parseGoJson', (name) => {
    expect(seen[name]?.fast).toBeNull();
  });

  it('keeps number texts and key order as written', () => {
    expect(seen.numberTexts?.fast).toMatchObject({
      kind: 'object',
      entries: [
        ['mtu', { kind: 'number', text: '1e3' }],
        ['vlan', { kind: 'number', text: '1.0' }],
        ['a', { kind: 'number', text: '-0' }],
        ['b', { kind: 'number', text: '12345678901234567890' }],
        ['c', { kind: 'number', text: '-1.5E-7' }],
        ['d', { kind: 'number', text: '0' }],
      ],
    });
    const keys = (seen.caseVariants?.fast as { entries: [string, unknown][] }).entries.map(
      ([k]) => k,
    );
    expect(keys).toEqual(['MTU', 'Bridge', 'bRiDgE', 'mtu']);
  });
});

describe('parseGoJsonFast on this engine', () => {
  // Node 20's V8 gives revivers no source text, Node 22's does: the fast path must follow.
  const reviveWithSource = (_key: string, _value: unknown, context?: { source?: string }) =>
    context?.source !== undefined;
  const engineGivesSource = JSON.parse('1', reviveWithSource) === true;

  it.each(Object.entries(FAST_CASES))(
    '%s: answered exactly where the engine gives number texts, then as parseGoJson',
    (_name, text) => {
      const fast = parseGoJsonFast(text);
      expect(fast !== undefined).toBe(engineGivesSource);
      if (fast !== undefined) expect(fast).toEqual(parseGoJson(text));
    },
  );

  it.each(Object.entries(SLOW_CASES))('%s: left to parseGoJson', (_name, text) => {
    expect(parseGoJsonFast(text)).toBeUndefined();
  });
});
