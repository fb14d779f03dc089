/**
 * The differential suite: every baseline.md §2 config runs through the reference bridge and the
 * binary under test, each in its own fresh sandbox; the normalized ADD/CHECK/DEL outcomes and the
 * settled state after ADD and after DEL must be equal, except for the differences listed in
 * known-differences.ts. Run it with CNIKIT_BRIDGE_BIN=/usr/lib/cni/bridge to see the oracle
 * report no difference for the reference against itself.
 */
import { afterAll, describe, test } from 'vitest';
import { CANDIDATE_BRIDGE, REFERENCE_BRIDGE } from '../e2e/support/bridge-binary.js';
import { describePrivileged } from '../e2e/support/suite.js';
import { DIFF_CONFIGS } from './configs.js';
import { KNOWN_DIFFERENCES, type KnownDifference } from './known-differences.js';
import { compareSides, runSide } from './support/compare.js';

describePrivileged('differential: reference (A) vs binary under test (B)', () => {
  const used = new Set<KnownDifference>();
  const ran = new Set<string>();
  afterAll(() => {
    // Entries of the configs that ran but matched nothing may be stale: say so, without failing.
    const stale = KNOWN_DIFFERENCES.filter(
      (k) => !used.has(k) && (k.config === '*' ? ran.size > 0 : ran.has(k.config)),
    );
    if (stale.length > 0)
      console.warn(
        `known differences not seen in this run:\n${stale.map((k) => `  ${k.config} ${k.path}`).join('\n')}`,
      );
  });

  describe.concurrent('configs', () => {
    test.for(DIFF_CONFIGS)('$name ($version)', { timeout: 240_000 }, async (config, { expect }) => {
      const [a, b] = await Promise.all([
        runSide(REFERENCE_BRIDGE, config),
        runSide(CANDIDATE_BRIDGE, config),
      ]);
      const { unexpected, allowed, usedEntries } = compareSides(
        config.name,
        a,
        b,
        KNOWN_DIFFERENCES,
      );
      for (const entry of usedEntries) used.add(entry);
      ran.add(config.name);
      if (allowed.length > 0)
        console.log(`${config.name}: known differences\n  ${allowed.join('\n  ')}`);
      expect(
        unexpected,
        `${config.name}: differences between ${REFERENCE_BRIDGE} (A) and ${CANDIDATE_BRIDGE} (B)`,
      ).toEqual([]);
    });
  });
});
