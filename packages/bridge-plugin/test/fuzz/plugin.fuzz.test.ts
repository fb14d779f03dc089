/**
 * Fuzzing the whole bridge plugin in-process (skel + config + commands) on a fake host: any
 * config, CNI_ARGS and environment ends in a success or one CNI error object with the code the
 * config layer implies, and every command the plugin would run follows the strict grammar.
 */
import { checkCniOutcome } from '@cnikit-tools/test-utils';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNetConf } from '../../src/index.js';
import { bridgeCniArgs, bridgeConfigText, hostileString, nearIfName } from './arbitraries.js';
import type { FakeHost } from './fake-kernel.js';
import { baseConfig, expectCleanCalls, startFakeHost } from './support.js';

let host: FakeHost;
let trusted: ReadonlySet<string>;
beforeAll(async () => {
  ({ host, trusted } = await startFakeHost());
});
afterAll(() => host.cleanup());

const COMMANDS = ['ADD', 'DEL', 'CHECK', 'GC', 'STATUS'] as const;

/** The error loadNetConf gives for this input, or undefined when it loads. */
function configError(text: string, args: string): string | undefined {
  try {
    loadNetConf(text, args);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Codes the skel gives before the bridge sees the config (version, decoding, name). */
const SKEL_CODES = [1, 6, 7];

describe('fuzzing the bridge plugin in-process', () => {
  it('mutated configs and CNI_ARGS: the config layer decides the error, commands stay clean', async () => {
    await fc.assert(
      fc.asyncProperty(
        bridgeConfigText,
        fc.option(bridgeCniArgs, { nil: undefined, freq: 1 }),
        fc.constantFrom(...COMMANDS),
        async (text, args, command) => {
          const env = host.env(command, { CNI_ARGS: args, CNI_NETNS_OVERRIDE: '1' });
          const out = await host.invoke(env, text);
          const error = checkCniOutcome(out);
          expectCleanCalls(host.recorder.calls, trusted);
          if (error === undefined || SKEL_CODES.includes(error.code) || command === 'STATUS')
            return;
          const refused = configError(text, args ?? '');
          if (refused !== undefined) {
            expect(error).toMatchObject({ code: 999, msg: refused });
            expect(host.recorder.calls).toEqual([]);
          } else expect(error.msg).not.toMatch(/^failed to load netconf/);
        },
      ),
      {
        numRuns: 400,
        // Once found: a 0.2.0 L2 ADD ends in the reference's "cannot convert" error, not a crash.
        examples: [
          [
            '{"cniVersion":"0.2.0","name":"fuzznet","type":"bridge","bridge":"br0","isGateway":true,"ipMasq":true,"ipam":{}}',
            undefined,
            'ADD',
          ],
        ],
      },
    );
  });

  it('hostile environments: one well-formed answer, and nothing unvalidated reaches a command', async () => {
    const hostileEnv = fc.record(
      {
        CNI_CONTAINERID: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,20}$/), hostileString),
        CNI_IFNAME: nearIfName,
        CNI_NETNS: fc.oneof(
          fc.constantFrom(
            '/run/netns/a',
            '/run/netns/../../proc/1/ns/net',
            '/run/netns/a b',
            '/run/netns/a\nb',
            'relative',
            '',
          ),
          fc.stringMatching(/^\/[a-z/]{0,20}$/),
          hostileString,
        ),
        CNI_ARGS: bridgeCniArgs,
        CNI_PATH: fc.oneof(fc.constant(host.bin.dir), hostileString),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        hostileEnv,
        fc.constantFrom(...COMMANDS),
        fc.boolean(),
        async (vars, command, spoof) => {
          const env = host.env(command, { CNI_NETNS_OVERRIDE: '1', ...vars });
          const out = await host.invoke(env, { ...baseConfig(), macspoofchk: spoof });
          const error = checkCniOutcome(out);
          expectCleanCalls(host.recorder.calls, trusted);
          if (error !== undefined) expect([1, 3, 4, 6, 7, 999]).toContain(error.code);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('deeply nested stdin', () => {
  // Go's decoder stops at 10000 levels ("exceeded max depth"), so the reference answers code 6
  // before dispatching; the skel does the same, before the bridge's recursive reader runs.
  it('is refused with code 6 like the Go decoder, not with an engine error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 20_000, max: 100_000 }),
        fc.boolean(),
        async (depth, arrays) => {
          const deep = arrays
            ? '['.repeat(depth) + ']'.repeat(depth)
            : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
          const text = `{"cniVersion":"1.0.0","name":"n","type":"bridge","x":${deep}}`;
          const out = await host.invoke(host.env('DEL'), text);
          expect(checkCniOutcome(out)?.code).toBe(6);
        },
      ),
      { numRuns: 3 },
    );
  });

  it('never runs a command, whatever the depth', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 5_000, max: 100_000 }), async (depth) => {
        const text = `{"cniVersion":"1.0.0","name":"n","type":"bridge","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        const out = await host.invoke(host.env('ADD'), text);
        expect(out.exitCode).toBe(out.error === undefined ? 0 : 1);
        if (out.exitCode === 1) expect(host.recorder.calls).toEqual([]);
      }),
      { numRuns: 5 },
    );
  });
});
