/**
 * What the executable starts: ADD, CHECK and DEL of a basic network start no process but the IPAM
 * plugin (everything else goes over netlink and /proc/sys from the plugin's own process), and
 * with ipMasq one `iptables-restore` for the rules (support/recording-path.ts records them).
 */
import { describe, test } from 'vitest';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { recordingPath } from './support/recording-path.js';
import { describePrivileged } from './support/suite.js';
import { describeRun } from './support/testbed.js';

describePrivileged('processes the executable starts', () => {
  describe.skipIf(CANDIDATE_IS_REFERENCE).concurrent(OURS_ONLY, () => {
    test('basic ADD, CHECK and DEL: only the IPAM plugin', async ({ expect }) => {
      await withTestbed('1.0.0', async (bed) => {
        const { envPath, started } = recordingPath(bed);
        const c = await bed.container();
        const conf = bed.netconf({ isGateway: true, ipam: bed.ipam([['10.1.2.0/24']]) });
        const add = await bed.add(c, conf, { envPath });
        await expectAttached(expect, bed, c, add, { v4: 1 });
        const check = await bed.check(c, conf, add.json, { envPath });
        expect(check.exitCode, describeRun(check)).toBe(0);
        await expectDetached(expect, bed, c, await bed.del(c, conf, { envPath }));
        expect(started()).toEqual([]);
      });
    });

    test('ipMasq ADD and DEL: one iptables-restore each', async ({ expect }) => {
      await withTestbed('1.0.0', async (bed) => {
        const { envPath, started } = recordingPath(bed);
        const c = await bed.container();
        const conf = bed.netconf({
          isGateway: true,
          ipMasq: true,
          ipam: bed.ipam([['10.1.2.0/24']]),
        });
        const add = await bed.add(c, conf, { envPath });
        await expectAttached(expect, bed, c, add, { v4: 1 });
        expect(started()).toEqual(['iptables-restore']);
        const withPrev = { ...conf, prevResult: add.json };
        await expectDetached(expect, bed, c, await bed.del(c, withPrev, { envPath }));
        expect(started()).toEqual(['iptables-restore', 'iptables-restore']);
      });
    });
  });
});
