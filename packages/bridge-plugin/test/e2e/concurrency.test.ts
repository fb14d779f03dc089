/**
 * 20 concurrent ADDs on a cold bridge all succeed with distinct IPs; 20 concurrent DELs then
 * leave no port, masquerade rule or reservation (the reference passes this too: baseline.md §3).
 */
import { describe, test } from 'vitest';
import { withTestbed } from './support/attachment.js';
import { masqueradeRulesOf, natRules, ofKind, reservations, view } from './support/inspect.js';
import { describePrivileged } from './support/suite.js';
import { BRIDGE, describeRun, NETWORK } from './support/testbed.js';
import { VERSIONS, viewResult } from './support/versions.js';

const N = 20;
const VERSION = VERSIONS[VERSIONS.length - 1] ?? '1.0.0';

describePrivileged('concurrency', () => {
  describe('cold bridge', () => {
    test(
      `${N} concurrent ADDs then ${N} concurrent DELs at ${VERSION}`,
      { timeout: 120_000 },
      async ({ expect }) => {
        await withTestbed(VERSION, async (bed) => {
          const containers = [];
          for (let i = 0; i < N; i++) containers.push(await bed.container());
          const conf = bed.netconf({
            isGateway: true,
            ipMasq: true,
            ipam: bed.ipam([['10.1.0.0/16']]),
          });

          const adds = await Promise.all(containers.map((c) => bed.add(c, conf)));
          for (const add of adds) expect(add.exitCode, describeRun(add)).toBe(0);
          const ips = adds.map((a) => viewResult(VERSION, a.json).ips[0]?.address);
          expect(new Set(ips).size).toBe(N);
          const veths = ofKind(await view(bed.host), 'veth');
          expect(veths).toHaveLength(N);
          for (const v of veths) expect(v.master).toBe(BRIDGE);
          expect(reservations(bed.dataDir, NETWORK)).toHaveLength(N);
          // One POSTROUTING jump per container.
          const jumps = masqueradeRulesOf(await natRules(bed.host, 4)).filter((l) =>
            l.startsWith('-A POSTROUTING'),
          );
          expect(jumps).toHaveLength(N);

          const dels = await Promise.all(containers.map((c) => bed.del(c, conf)));
          for (const del of dels) expect(del.exitCode, describeRun(del)).toBe(0);
          expect(ofKind(await view(bed.host), 'veth')).toEqual([]);
          expect(masqueradeRulesOf(await natRules(bed.host, 4))).toEqual([]);
          expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
        });
      },
    );
  });
});
