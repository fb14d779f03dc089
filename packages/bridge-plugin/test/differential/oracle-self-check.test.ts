/**
 * The oracle checked against known answers (baseline.md "Oracle self-check"): the reference
 * against itself shows no difference, and a deliberately wrong double (the reference, then the
 * host veth's txqlen set to 1000 and `dns` dropped from the result) is caught on both counts.
 * Independent of the binary under test, so it runs even before ours is built.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { FakeBinDir, isRoot, NOT_ROOT_REASON } from '@cnikit-tools/test-utils';
import { REFERENCE_BRIDGE } from '../e2e/support/bridge-binary.js';
import { diffConfig } from './configs.js';
import { compareSides, runSide } from './support/compare.js';

/** The reference plus two deviations: txqlen 1000 on the host veth, no `dns` in the result. */
const WRONG_DOUBLE = `
in=$(cat)
out=$(printf '%s' "$in" | ${REFERENCE_BRIDGE})
rc=$?
if [ "$CNI_COMMAND" = ADD ] && [ "$rc" -eq 0 ]; then
  veth=$(printf '%s' "$out" | jq -r '.interfaces[1].name')
  case "$veth" in veth*) ;; *) exit 1 ;; esac
  ip link set dev "$veth" txqueuelen 1000 || exit 1
  out=$(printf '%s' "$out" | jq 'del(.dns)')
fi
printf '%s' "$out"
exit "$rc"
`;

describe.skipIf(!isRoot || !existsSync(REFERENCE_BRIDGE))(
  `differential oracle self-check [${NOT_ROOT_REASON}; needs ${REFERENCE_BRIDGE}]`,
  { timeout: 240_000 },
  () => {
    // Made in a hook, not at collection, so a skipped run leaves no temp directory.
    let bin: FakeBinDir | undefined;
    let double = '';
    beforeAll(() => {
      bin = new FakeBinDir('cnikit-double-');
      double = bin.add('bridge', WRONG_DOUBLE);
    });
    afterAll(() => {
      bin?.cleanup();
    });

    describe.concurrent('checks', () => {
      test.for(['basic', 'dual-stack-ipmasq-0.4.0', 'macspoofchk'])(
        'the reference against itself shows no difference (%s)',
        async (name, { expect }) => {
          const config = diffConfig(name);
          const [a, b] = await Promise.all([
            runSide(REFERENCE_BRIDGE, config),
            runSide(REFERENCE_BRIDGE, config),
          ]);
          expect(compareSides(name, a, b, []).unexpected).toEqual([]);
        },
      );

      test('a double with txqlen 1000 and no dns is caught', async ({ expect }) => {
        const config = diffConfig('basic');
        const [a, b] = await Promise.all([
          runSide(REFERENCE_BRIDGE, config),
          runSide(double, config),
        ]);
        const { unexpected } = compareSides('basic', a, b, []);
        expect(unexpected).toContain('afterAdd.links.host["veth#0"].txqlen: A 0 ≠ B 1000');
        expect(unexpected).toContain('afterAdd.links.host["veth#1"].txqlen: A 0 ≠ B 1000');
        expect(unexpected).toContain('add0.output.dns: only in A: {}');
        // The same double passes when its deviations are allow-listed.
        const known = [
          { config: 'basic', path: 'afterAdd.links.host["veth#0"].txqlen', reason: 'test' },
          { config: '*', path: 'afterAdd.links.host["veth#1"].txqlen', reason: 'test' },
          { config: 'basic', path: 'add0.output.dns', reason: 'test' },
          { config: 'basic', path: 'add1.output.dns', reason: 'test' },
        ];
        expect(compareSides('basic', a, b, known).unexpected).toEqual([]);
      });
    });
  },
);
