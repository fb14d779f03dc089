/**
 * Run with bun by go-json.test.ts: JSC hands JSON.parse revivers the number texts, which Node 20
 * does not, so only here does the fast path answer. Prints what both readers give for each case.
 */
import { parseGoJson, parseGoJsonFast } from '../../src/config/go-json.js';
import { FAST_CASES, SLOW_CASES } from './go-json-cases.js';

const read = (text: string): unknown => {
  try {
    return parseGoJson(text);
  } catch (err) {
    return { error: (err as Error).message };
  }
};

const out: Record<string, { fast: unknown; slow: unknown }> = {};
for (const [name, text] of Object.entries({ ...FAST_CASES, ...SLOW_CASES }))
  out[name] = { fast: parseGoJsonFast(text) ?? null, slow: read(text) };
process.stdout.write(JSON.stringify(out));
