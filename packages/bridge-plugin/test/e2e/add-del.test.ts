/**
 * reference-bridge.md §3 scenarios 1-4, 10, 11 and DNS: ADD/DEL with default routes for IPv4,
 * IPv6, dual stack and 1×v4+2×v6, L2 only, reuse of an existing bridge, DEL of a container never
 * added; at every spec version with the version's own expectations.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { mustExecIn } from '@cnikit-tools/test-utils';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { defaultGateway, globalCidrs, link, reservations } from './support/inspect.js';
import { describePrivileged } from './support/suite.js';
import { BRIDGE, errorOf, NETWORK } from './support/testbed.js';
import { FEW_VERSIONS, isLegacy, VERSIONS, viewResult } from './support/versions.js';

const V4 = '10.1.2.0/24';
const V6 = 'fd00:1234::/64';

describePrivileged('bridge ADD/DEL', () => {
  describe.concurrent('default route (isDefaultGateway)', () => {
    const layouts = [
      { name: 'IPv4 /24', subnets: [[V4]], v4: 1, v6: 0, gws: ['10.1.2.1/24'] },
      { name: 'IPv6 /64', subnets: [[V6]], v4: 0, v6: 1, gws: ['fd00:1234::1/64'] },
      {
        name: 'dual stack',
        subnets: [[V4], [V6]],
        v4: 1,
        v6: 1,
        gws: ['10.1.2.1/24', 'fd00:1234::1/64'],
      },
    ];
    for (const layout of layouts) {
      test.for(VERSIONS)(`${layout.name} at %s`, async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({ isDefaultGateway: true, ipam: bed.ipam(layout.subnets) });
          const add = await bed.add(c, conf);
          await expectAttached(expect, bed, c, add, {
            v4: layout.v4,
            v6: layout.v6,
            gatewayCidrs: layout.gws,
            defaultRoute: true,
          });
          expect((await link(bed.host, BRIDGE))?.flags).not.toContain('PROMISC');
          expect(reservations(bed.dataDir, NETWORK)).toHaveLength(layout.v4 + layout.v6);
          await expectDetached(expect, bed, c, await bed.del(c, conf));
          expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
          // DEL is idempotent.
          const again = await bed.del(c, conf);
          expect(again.exitCode).toBe(0);
        });
      });
    }

    test.for(VERSIONS)('1×IPv4 + 2×IPv6 at %s', async (version, { expect }) => {
      await withTestbed(version, async (bed) => {
        const c = await bed.container();
        const conf = bed.netconf({
          isDefaultGateway: true,
          ipam: bed.ipam([[V4], [V6], ['fd00:5678::/64']]),
        });
        const add = await bed.add(c, conf);
        if (isLegacy(version)) {
          // host-local itself refuses (ADD and DEL) a second address per family at 0.1/0.2.
          const msg = 'does not support more than 1 address per family';
          expect(errorOf(add).msg).toContain(msg);
          const del = await bed.del(c, conf);
          expect(errorOf(del).msg).toContain(msg);
          expect(await link(c, 'eth0')).toBeUndefined();
          return;
        }
        await expectAttached(expect, bed, c, add, {
          v4: 1,
          v6: 2,
          gatewayCidrs: ['10.1.2.1/24', 'fd00:1234::1/64', 'fd00:5678::1/64'],
          defaultRoute: true,
        });
        await expectDetached(expect, bed, c, await bed.del(c, conf));
        expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
      });
    });
  });

  describe.concurrent('L2 only (no ipam)', () => {
    test.for(VERSIONS)('ADD/DEL at %s', async (version, { expect }) => {
      await withTestbed(version, async (bed) => {
        const c = await bed.container();
        const conf = bed.netconf();
        const add = await bed.add(c, conf);
        if (isLegacy(version)) {
          expect(errorOf(add).msg).toBe('cannot convert: no valid IP addresses');
        } else {
          await expectAttached(expect, bed, c, add);
          expect(viewResult(version, add.json).ips).toEqual([]);
          expect(await globalCidrs(bed.host, BRIDGE)).toEqual([]);
        }
        await expectDetached(expect, bed, c, await bed.del(c, conf));
      });
    });
  });

  describe.concurrent('bridge setup', () => {
    test.for(FEW_VERSIONS)('reuses a pre-existing bridge at %s', async (version, { expect }) => {
      await withTestbed(version, async (bed) => {
        await mustExecIn(bed.host, ['ip', 'link', 'add', BRIDGE, 'type', 'bridge']);
        const before = await link(bed.host, BRIDGE);
        const c = await bed.container();
        const conf = bed.netconf({ isGateway: true, ipam: bed.ipam([[V4]]) });
        await expectAttached(expect, bed, c, await bed.add(c, conf), {
          v4: 1,
          gatewayCidrs: ['10.1.2.1/24'],
        });
        expect((await link(bed.host, BRIDGE))?.ifindex).toBe(before?.ifindex);
        await expectDetached(expect, bed, c, await bed.del(c, conf));
        // The bridge is never deleted.
        expect((await link(bed.host, BRIDGE))?.ifindex).toBe(before?.ifindex);
      });
    });

    test.for(VERSIONS)('DEL of a never-configured container at %s', async (version, { expect }) => {
      await withTestbed(version, async (bed) => {
        const c = await bed.container();
        const conf = bed.netconf({ isGateway: true, ipMasq: true, ipam: bed.ipam([[V4]]) });
        const del = await bed.del(c, conf);
        expect(del.exitCode, del.stdout).toBe(0);
        expect(del.stdout.trim()).toBe('');
      });
    });
  });

  describe.concurrent('routes and DNS', () => {
    test.for(VERSIONS)(
      'an IPAM default route with a gateway wins over isDefaultGateway at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({
            isDefaultGateway: true,
            ipam: bed.ipam([[V4]], { routes: [{ dst: '0.0.0.0/0', gw: '10.1.2.254' }] }),
          });
          const add = await bed.add(c, conf);
          const view = await expectAttached(expect, bed, c, add, {
            v4: 1,
            gatewayCidrs: ['10.1.2.1/24'],
          });
          expect(view.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.1.2.254' }]);
          expect(await defaultGateway(c, 4)).toBe('10.1.2.254');
          await expectDetached(expect, bed, c, await bed.del(c, conf));
        });
      },
    );

    test.for(VERSIONS)('netconf dns is the result dns at %s', async (version, { expect }) => {
      await withTestbed(version, async (bed) => {
        const c = await bed.container();
        const dns = {
          nameservers: ['10.1.2.53'],
          domain: 'example.test',
          search: ['example.test'],
        };
        const conf = bed.netconf({ isGateway: true, dns, ipam: bed.ipam([[V4]]) });
        const view = await expectAttached(expect, bed, c, await bed.add(c, conf), {
          v4: 1,
          gatewayCidrs: ['10.1.2.1/24'],
        });
        expect(view.dns).toEqual(dns);
        await expectDetached(expect, bed, c, await bed.del(c, conf));
      });
    });

    describe.skipIf(CANDIDATE_IS_REFERENCE)(OURS_ONLY, () => {
      test.for(VERSIONS)(
        'IPAM dns (host-local resolvConf) reaches the result at %s (reference 1.1.1 drops it; v1.2.0+ keeps it)',
        async (version, { expect }) => {
          await withTestbed(version, async (bed) => {
            const resolvConf = join(bed.dataDir, 'resolv.conf');
            writeFileSync(resolvConf, 'nameserver 192.0.2.53\nsearch example.test\n');
            const c = await bed.container();
            const conf = bed.netconf({ isGateway: true, ipam: bed.ipam([[V4]], { resolvConf }) });
            const view = await expectAttached(expect, bed, c, await bed.add(c, conf), {
              v4: 1,
              gatewayCidrs: ['10.1.2.1/24'],
            });
            expect(view.dns?.nameservers).toEqual(['192.0.2.53']);
            expect(view.dns?.search).toEqual(['example.test']);
            await expectDetached(expect, bed, c, await bed.del(c, conf));
          });
        },
      );
    });
  });
});
