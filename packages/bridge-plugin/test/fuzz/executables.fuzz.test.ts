/**
 * Bad stdin through the real executables (dist/bridge built by Bun, dist/cli.cjs on Node): more
 * than 4 MiB is refused with one error JSON (code 5), text that is not JSON with code 6, and a
 * deeply nested config with one error JSON too; no hang, no stack trace. Every request here is
 * refused before the plugin could act (invalid network or bridge name, missing netns), so nothing
 * can touch this machine's network even if a check regressed.
 */
import { existsSync } from 'node:fs';
import {
  BRIDGE_EXECUTABLES,
  checkCniOutcome,
  pluginPathEnv,
  type BridgeExecutableKind,
} from '@cnikit-tools/test-utils';
import { execa } from 'execa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const MAX_STDIN = 4 * 1024 * 1024;
const KINDS: BridgeExecutableKind[] = ['bun', 'node'];
const built = KINDS.every((k) => existsSync(BRIDGE_EXECUTABLES[k]));

const env = {
  PATH: pluginPathEnv(),
  CNI_COMMAND: 'ADD',
  CNI_CONTAINERID: 'fuzz1',
  CNI_NETNS: '/nonexistent/cnikit-fuzz-netns',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/nonexistent/cnikit-fuzz-bin',
};

/** A config of exactly `size` bytes with an invalid network name (refused with code 7 if read). */
function padded(size: number): string {
  const head = '{"cniVersion":"1.0.0","name":"bad name","type":"bridge","bridge":"bad br","pad":"';
  return head + 'x'.repeat(size - head.length - 2) + '"}';
}

async function runExecutable(kind: BridgeExecutableKind, stdin: string) {
  const file = BRIDGE_EXECUTABLES[kind];
  const argv = kind === 'node' ? [process.execPath, file] : [file];
  const result = await execa(argv[0] ?? '', argv.slice(1), {
    input: stdin,
    env,
    extendEnv: false,
    reject: false,
    timeout: 20_000,
    stripFinalNewline: false,
    maxBuffer: 1024 * 1024,
  });
  expect(result.timedOut).toBe(false);
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(!built)(
  'bad stdin through the built executables (skipped until `npm run build` made dist/bridge and dist/cli.cjs)',
  () => {
    for (const kind of KINDS) {
      describe(kind, () => {
        it('refuses more than 4 MiB of stdin with code 5 and one error JSON', async () => {
          await fc.assert(
            fc.asyncProperty(
              fc.constantFrom(1, 1024, MAX_STDIN / 4, 1024 * 1024 + 7),
              async (extra) => {
                const out = await runExecutable(kind, padded(MAX_STDIN + extra));
                expect(out.exitCode).toBe(1);
                expect(out.stdout).toBe(
                  `${JSON.stringify({ code: 5, msg: `error reading from stdin: input exceeds ${MAX_STDIN} bytes` })}\n`,
                );
                expect(checkCniOutcome(out)?.code).toBe(5);
              },
            ),
            { numRuns: 2 },
          );
        });

        it('reads exactly 4 MiB (then refuses the invalid name with code 7)', async () => {
          const out = await runExecutable(kind, padded(MAX_STDIN));
          expect(checkCniOutcome(out)?.code).toBe(7);
        });

        it('answers text that is not JSON with code 6', async () => {
          await fc.assert(
            fc.asyncProperty(
              fc.constantFrom('', '{', 'not json', '{"name":"n",}', '\u0000\u0001'),
              async (stdin) => {
                const out = await runExecutable(kind, stdin);
                expect(checkCniOutcome(out)?.code).toBe(6);
              },
            ),
            { numRuns: 2 },
          );
        });

        it('answers a deeply nested config with one error JSON, no crash and no stack trace', async () => {
          const depth = 500_000;
          const stdin = `{"cniVersion":"1.0.0","name":"n","type":"bridge","bridge":"bad br","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
          const out = await runExecutable(kind, stdin);
          expect(out.exitCode).toBe(1);
          const lines = out.stdout.split('\n').filter((l) => l !== '');
          expect(lines).toHaveLength(1);
          expect(JSON.parse(lines[0] ?? '')).toMatchObject({ code: expect.any(Number) as number });
          expect(out.stderr).not.toMatch(/^\s+at /m);
        });
      });
    }
  },
);
