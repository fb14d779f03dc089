/** Traffic between namespaces we made: two containers on one bridge reach each other and the gateway. */
import { describe, test } from 'vitest';
import { expectAttached, withTestbed } from './support/attachment.js';
import { pingOnce } from './support/inspect.js';
import { describePrivileged } from './support/suite.js';
import { FEW_VERSIONS, isV6 } from './support/versions.js';

describePrivileged('traffic', () => {
  describe.concurrent('ping', () => {
    test.for(FEW_VERSIONS)(
      'between two containers and to the gateway at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const [c0, c1] = [await bed.container(), await bed.container()];
          const conf = bed.netconf({
            isDefaultGateway: true,
            ipam: bed.ipam([['10.1.2.0/24'], ['fd00:1234::/64']]),
          });
          const want = {
            v4: 1,
            v6: 1,
            gatewayCidrs: ['10.1.2.1/24', 'fd00:1234::1/64'],
            defaultRoute: true,
          };
          await expectAttached(expect, bed, c0, await bed.add(c0, conf), want);
          const r1 = await expectAttached(expect, bed, c1, await bed.add(c1, conf), {
            ...want,
            hostVeths: 2,
          });
          const ip = (v6: boolean): string =>
            r1.ips.find((x) => isV6(x.address) === v6)?.address.split('/')[0] ?? '';
          expect(await pingOnce(c0, ip(false))).toBe(true);
          expect(await pingOnce(c0, ip(true))).toBe(true);
          expect(await pingOnce(c0, '10.1.2.1')).toBe(true);
        });
      },
    );
  });
});
