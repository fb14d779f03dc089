/**
 * Ours-only: options the reference 1.1.1 predates (reference-bridge.md §3 scenarios 20-22):
 * disableContainerInterface (v1.4.1) and portIsolation (v1.7.0).
 */
import { describe, test } from 'vitest';
import { expectDetached, withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { findLink, ofKind, view } from './support/inspect.js';
import { describePrivileged } from './support/suite.js';
import { BRIDGE, describeRun, errorOf } from './support/testbed.js';
import { FEW_VERSIONS, isLegacy } from './support/versions.js';

const L2_VERSIONS = FEW_VERSIONS.filter((v) => !isLegacy(v));

describePrivileged('newer options', () => {
  describe.skipIf(CANDIDATE_IS_REFERENCE).concurrent(OURS_ONLY, () => {
    test.for(L2_VERSIONS)(
      'disableContainerInterface with IPAM is refused at %s',
      async (v, { expect }) => {
        await withTestbed(v, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({
            disableContainerInterface: true,
            ipam: bed.ipam([['10.1.2.0/24']]),
          });
          const add = await bed.add(c, conf);
          expect(errorOf(add).msg).toContain(
            'cannot use IPAM when DisableContainerInterface flag is set',
          );
        });
      },
    );

    test.for(L2_VERSIONS)(
      'disableContainerInterface leaves the container end down at %s',
      async (v, { expect }) => {
        await withTestbed(v, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({ disableContainerInterface: true });
          const add = await bed.add(c, conf);
          expect(add.exitCode, describeRun(add)).toBe(0);
          expect(findLink(await view(c), 'eth0')?.flags).not.toContain('UP');
          const [veth] = ofKind(await view(bed.host), 'veth');
          expect(veth?.master).toBe(BRIDGE);
          await expectDetached(expect, bed, c, await bed.del(c, conf));
        });
      },
    );

    for (const portIsolation of [false, true]) {
      test.for(L2_VERSIONS)(`portIsolation ${portIsolation} at %s`, async (v, { expect }) => {
        await withTestbed(v, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({ portIsolation, ipam: bed.ipam([['10.1.2.0/24']]) });
          const add = await bed.add(c, conf);
          expect(add.exitCode, describeRun(add)).toBe(0);
          const [veth] = ofKind(await view(bed.host), 'veth');
          expect(veth?.linkinfo?.info_slave_data?.isolated).toBe(portIsolation);
          await expectDetached(expect, bed, c, await bed.del(c, conf));
        });
      });
    }
  });
});
