/**
 * reference-bridge.md §3 scenarios 12-14 and 16 plus the per-port options: the ensureAddr matrix
 * with and without forceAddress (and the IPAM release when ADD then fails), promiscMode,
 * hairpinMode, mtu, a bridge MAC that stays put while ports come and go, config errors.
 */
import { describe, test } from 'vitest';
import { mustExecIn } from '@cnikit-tools/test-utils';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { cidrsOf, findLink, link, ofKind, reservations, view } from './support/inspect.js';
import { describePrivileged } from './support/suite.js';
import { BRIDGE, errorOf, NETWORK } from './support/testbed.js';
import { FEW_VERSIONS } from './support/versions.js';

interface AddrCase {
  name: string;
  /** Already on the bridge before ADD. */
  existing: string;
  /** The IPAM range; its gateway becomes the bridge address. */
  range: { subnet: string; gateway: string };
  /** The gateway CIDR the plugin wants on the bridge. */
  wanted: string;
  /** Whether the existing address conflicts (IPv4 always, IPv6 when the prefixes overlap). */
  conflicts: boolean;
}

const ADDR_CASES: readonly AddrCase[] = [
  {
    name: 'IPv4',
    existing: '10.0.0.1/8',
    range: { subnet: '10.1.0.0/16', gateway: '10.1.2.3' },
    wanted: '10.1.2.3/16',
    conflicts: true,
  },
  {
    name: 'overlapping IPv6',
    existing: 'fd00:aaaa::1/64',
    range: { subnet: 'fd00:aaaa::/64', gateway: 'fd00:aaaa::3' },
    wanted: 'fd00:aaaa::3/64',
    conflicts: true,
  },
  {
    name: 'non-overlapping IPv6',
    existing: 'fd00:bbbb::1/64',
    range: { subnet: 'fd00:cccc::/64', gateway: 'fd00:cccc::1' },
    wanted: 'fd00:cccc::1/64',
    conflicts: false,
  },
];

describePrivileged('bridge addresses and options', () => {
  describe.concurrent('ensureAddr matrix', () => {
    for (const c of ADDR_CASES) {
      for (const forceAddress of [false, true]) {
        test.for(FEW_VERSIONS)(
          `${c.name} address already on the bridge, forceAddress ${forceAddress}, at %s`,
          async (version, { expect }) => {
            await withTestbed(version, async (bed) => {
              await mustExecIn(bed.host, ['ip', 'link', 'add', BRIDGE, 'type', 'bridge']);
              await mustExecIn(bed.host, ['ip', 'addr', 'add', c.existing, 'dev', BRIDGE, 'nodad']);
              const ctr = await bed.container();
              const conf = bed.netconf({
                isGateway: true,
                forceAddress,
                ipam: { ...bed.ipam([]), ranges: [[c.range]] },
              });
              const add = await bed.add(ctr, conf);
              const onBridge = cidrsOf(await view(bed.host), BRIDGE);
              if (c.conflicts && !forceAddress) {
                expect(errorOf(add).msg).toContain(
                  `"${BRIDGE}" already has an IP address different from ${c.wanted}`,
                );
                expect(onBridge).toEqual([c.existing]);
                // Scenario 16: the IP that IPAM handed out was released again.
                expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
              } else {
                await expectAttached(expect, bed, ctr, add, {
                  v4: c.range.subnet.includes(':') ? 0 : 1,
                  v6: c.range.subnet.includes(':') ? 1 : 0,
                  gatewayCidrs: [c.wanted],
                });
                expect(onBridge).toEqual(c.conflicts ? [c.wanted] : [c.existing, c.wanted].sort());
              }
              const del = await bed.del(ctr, conf);
              expect(del.exitCode).toBe(0);
              expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
            });
          },
        );
      }
    }
  });

  describe.concurrent('port and bridge options', () => {
    test.for(FEW_VERSIONS)(
      'promiscMode sets the bridge promiscuous at %s',
      async (v, { expect }) => {
        await withTestbed(v, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({
            isGateway: true,
            promiscMode: true,
            ipam: bed.ipam([['10.1.2.0/24']]),
          });
          await expectAttached(expect, bed, c, await bed.add(c, conf), {
            v4: 1,
            gatewayCidrs: ['10.1.2.1/24'],
          });
          expect((await link(bed.host, BRIDGE))?.flags).toContain('PROMISC');
          await expectDetached(expect, bed, c, await bed.del(c, conf));
        });
      },
    );

    test.for(FEW_VERSIONS)('hairpinMode sets the port hairpin at %s', async (v, { expect }) => {
      await withTestbed(v, async (bed) => {
        const c = await bed.container();
        const conf = bed.netconf({ hairpinMode: true, ipam: bed.ipam([['10.1.2.0/24']]) });
        const add = await bed.add(c, conf);
        expect(add.exitCode, add.stdout).toBe(0);
        const [veth] = ofKind(await view(bed.host), 'veth');
        expect(veth?.linkinfo?.info_slave_data?.hairpin).toBe(true);
        expect((await link(bed.host, BRIDGE))?.flags).not.toContain('PROMISC');
        await expectDetached(expect, bed, c, await bed.del(c, conf));
      });
    });

    test.for(FEW_VERSIONS)(
      'mtu applies to a new bridge and both veth ends at %s',
      async (v, { expect }) => {
        await withTestbed(v, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({
            isGateway: true,
            mtu: 9000,
            ipam: bed.ipam([['10.1.2.0/24']]),
          });
          await expectAttached(expect, bed, c, await bed.add(c, conf), {
            v4: 1,
            gatewayCidrs: ['10.1.2.1/24'],
          });
          const host = await view(bed.host);
          expect(findLink(host, BRIDGE)?.mtu).toBe(9000);
          expect(ofKind(host, 'veth').map((l) => l.mtu)).toEqual([9000]);
          expect((await link(c, 'eth0'))?.mtu).toBe(9000);
          await expectDetached(expect, bed, c, await bed.del(c, conf));
        });
      },
    );

    for (const [family, subnet] of [
      ['IPv4', '10.1.2.0/24'],
      ['IPv6', 'fd00:1234::/64'],
    ] as const) {
      test.for(FEW_VERSIONS)(
        `the bridge MAC stays the same while ports come and go (${family}) at %s`,
        async (v, { expect }) => {
          await withTestbed(v, async (bed) => {
            const [c0, c1] = [await bed.container(), await bed.container()];
            const conf = bed.netconf({ isGateway: true, ipam: bed.ipam([[subnet]]) });
            const macs: (string | undefined)[] = [];
            const bridgeMac = async (): Promise<void> => {
              macs.push((await link(bed.host, BRIDGE))?.address);
            };
            expect((await bed.add(c0, conf)).exitCode).toBe(0);
            await bridgeMac();
            expect((await bed.add(c1, conf)).exitCode).toBe(0);
            await bridgeMac();
            expect((await bed.del(c0, conf)).exitCode).toBe(0);
            await bridgeMac();
            expect((await bed.del(c1, conf)).exitCode).toBe(0);
            await bridgeMac();
            expect(macs[0]).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
            expect(macs[0]).not.toBe('00:00:00:00:00:00');
            expect(new Set(macs)).toEqual(new Set([macs[0]]));
          });
        },
      );
    }
  });

  describe.concurrent('config errors change nothing', () => {
    const cases: readonly (readonly [string, Record<string, unknown>, string])[] = [
      [
        'hairpinMode with promiscMode',
        { hairpinMode: true, promiscMode: true },
        'cannot set hairpin mode and promiscuous mode at the same time',
      ],
      ['vlan 5000', { vlan: 5000 }, 'invalid VLAN ID 5000 (must be between 0 and 4094)'],
      ['vlan -100', { vlan: -100 }, 'invalid VLAN ID -100 (must be between 0 and 4094)'],
    ];
    for (const [name, fields, msg] of cases) {
      test.for(FEW_VERSIONS.filter((v) => v === '0.4.0' || v === '1.0.0'))(
        `${name} at %s`,
        async (v, { expect }) => {
          await withTestbed(v, async (bed) => {
            const c = await bed.container();
            const add = await bed.add(c, bed.netconf(fields));
            expect(errorOf(add).msg).toContain(msg);
            expect((await view(bed.host)).links.map((l) => l.ifname)).toEqual(['lo']);
          });
        },
      );
    }
  });
});
