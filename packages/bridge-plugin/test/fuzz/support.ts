/**
 * Shared setup of the in-process fuzz suites: a fake host per suite, the constant shell program
 * learnt from one harmless ADD, and the check that every recorded call follows the grammar.
 */
import { callProblems, type RecordedCall } from '@cnikit-tools/test-utils';
import { expect } from 'vitest';
import { FakeHost } from './fake-kernel.js';
import { BASE_CONFIG } from './arbitraries.js';

/** The base config as an object (for tests that build configs as objects). */
export const baseConfig = (): Record<string, unknown> =>
  Object.fromEntries(BASE_CONFIG.map(([k, v]) => [k, JSON.parse(v) as unknown]));

/** A fake host plus the trusted `sh -c` program, learnt from a harmless ADD with a spoof check. */
export async function startFakeHost(): Promise<{ host: FakeHost; trusted: ReadonlySet<string> }> {
  const host = new FakeHost();
  const out = await host.invoke(host.env('ADD'), { ...baseConfig(), macspoofchk: true });
  expect(out.error).toBeUndefined();
  const scripts = host.recorder.calls.filter((c) => c.argv[0] === 'sh' && c.argv[1] === '-c');
  expect(scripts.length).toBeGreaterThan(0);
  return { host, trusted: new Set(scripts.map((c) => c.argv[2] ?? '')) };
}

/**
 * Fails when a value holding a line break appears verbatim in a command line or a batch: a name
 * such as "br0\nlink del eth0" splits into lines that are each grammatical, so the grammar alone
 * cannot see it. (The IPAM plugin's stdin is the config itself and is not looked at.)
 */
export function expectNotVerbatim(calls: readonly RecordedCall[], values: readonly string[]): void {
  const risky = values.filter((v) => /[\n\r\u2028\u2029]/.test(v) && v.trim().length >= 2);
  for (const call of calls) {
    const batch = call.argv.includes('-batch') || /restore$|^nft$/.test(call.argv[0] ?? '');
    const texts = [...call.argv, batch ? call.input : ''];
    for (const v of risky) expect(texts.some((t) => t.includes(v))).toBe(false);
  }
}

/** Fails with every grammar problem of the calls, each with the call's argv. */
export function expectCleanCalls(
  calls: readonly RecordedCall[],
  trusted: ReadonlySet<string>,
): void {
  const problems = calls.flatMap((c) => callProblems(c, { trustedArgs: trusted }));
  expect(problems).toEqual([]);
}
