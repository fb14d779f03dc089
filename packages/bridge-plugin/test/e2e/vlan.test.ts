/**
 * reference-bridge.md §3 scenarios 5-9: VLANs. They need a kernel with bridge VLAN filtering,
 * probed once; where the kernel refuses it the scenarios are skipped with the probe's answer in
 * their title, and instead ADD of a vlan network must fail cleanly. The reference 1.1.1 predates
 * vlanTrunk and preserveDefaultVlan (v1.3.0) and keeps the default VLAN 1 on the port; the
 * newest reference removes it by default (v1.8.0): those expectations are ours-only.
 */
import { describe, test } from 'vitest';
import { mustExecIn, type Netns } from '@cnikit-tools/test-utils';
import { expectDetached, withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { cidrsOf, findLink, ofKind, view } from './support/inspect.js';
import { vlanFilteringUnsupported } from './support/kernel.js';
import { describePrivileged } from './support/suite.js';
import { BRIDGE, describeRun, errorOf, type Testbed } from './support/testbed.js';
import { FEW_VERSIONS, isLegacy } from './support/versions.js';

const unsupported = await vlanFilteringUnsupported();
const L2_VERSIONS = FEW_VERSIONS.filter((v) => !isLegacy(v));

/** VLAN entries of the host veth as `VID [PVID] [untagged]`, from `bridge -j vlan show`. */
async function portVlans(bed: Testbed): Promise<string[]> {
  const [veth] = ofKind(await view(bed.host), 'veth');
  const out = await mustExecIn(bed.host, [
    'bridge',
    '-j',
    'vlan',
    'show',
    'dev',
    veth?.ifname ?? '',
  ]);
  const entries = JSON.parse(out || '[]') as {
    vlans: { vlan: number; vlanEnd?: number; flags?: string[] }[];
  }[];
  return (entries[0]?.vlans ?? []).map((v) =>
    [
      v.vlanEnd === undefined ? `${v.vlan}` : `${v.vlan}-${v.vlanEnd}`,
      v.flags?.includes('PVID') ? 'PVID' : '',
      v.flags?.includes('Egress Untagged') ? 'untagged' : '',
    ]
      .filter((s) => s !== '')
      .join(' '),
  );
}

async function addL2(
  bed: Testbed,
  c: Netns,
  fields: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const conf = bed.netconf(fields);
  const add = await bed.add(c, conf);
  if (add.exitCode !== 0) throw new Error(`ADD failed: ${describeRun(add)}`);
  return conf;
}

describePrivileged('VLAN', () => {
  describe
    .skipIf(unsupported === undefined)
    .concurrent(`on a kernel without VLAN filtering (${unsupported ?? 'supported here'})`, () => {
      test.for(L2_VERSIONS)(
        'ADD with vlan fails and leaves no link at %s',
        async (v, { expect }) => {
          await withTestbed(v, async (bed) => {
            const c = await bed.container();
            const add = await bed.add(c, bed.netconf({ vlan: 100 }));
            expect(errorOf(add).msg).toMatch(/not supported/i);
            expect((await view(bed.host)).links.map((l) => l.ifname)).toEqual(['lo']);
            expect((await view(c)).links.map((l) => l.ifname)).toEqual(['lo']);
          });
        },
      );
    });

  describe
    .skipIf(unsupported !== undefined)
    .concurrent(`scenarios 5-9 [${unsupported ?? 'kernel supports VLAN filtering'}]`, () => {
      test.for(L2_VERSIONS)('L2 with vlan 100 at %s', async (v, { expect }) => {
        await withTestbed(v, async (bed) => {
          const c = await bed.container();
          const conf = await addL2(bed, c, { vlan: 100 });
          const bridge = findLink(await view(bed.host), BRIDGE);
          expect(bridge?.linkinfo?.info_data?.vlan_filtering).toBe(1);
          const vlans = await portVlans(bed);
          expect(vlans).toContain('100 PVID untagged');
          await expectDetached(expect, bed, c, await bed.del(c, conf));
        });
      });

      describe.skipIf(CANDIDATE_IS_REFERENCE)(OURS_ONLY, () => {
        test.for(L2_VERSIONS)(
          'L2 with vlan 100 removes the default VLAN at %s',
          async (v, { expect }) => {
            await withTestbed(v, async (bed) => {
              const c = await bed.container();
              await addL2(bed, c, { vlan: 100 });
              expect(await portVlans(bed)).toEqual(['100 PVID untagged']);
            });
          },
        );

        test.for(L2_VERSIONS)(
          'L2 with vlan 100 and preserveDefaultVlan at %s',
          async (v, { expect }) => {
            await withTestbed(v, async (bed) => {
              const c = await bed.container();
              await addL2(bed, c, { vlan: 100, preserveDefaultVlan: true });
              const vlans = await portVlans(bed);
              expect(vlans).toContain('100 PVID untagged');
              expect(vlans.some((x) => x.startsWith('1 ') || x === '1')).toBe(true);
            });
          },
        );

        test.for(L2_VERSIONS)('L2 with trunk {101, 200-210} at %s', async (v, { expect }) => {
          await withTestbed(v, async (bed) => {
            const c = await bed.container();
            await addL2(bed, c, { vlanTrunk: [{ id: 101 }, { minID: 200, maxID: 210 }] });
            const vlans = await portVlans(bed);
            expect(vlans).toContain('1 PVID untagged');
            expect(vlans).toContain('101');
            expect(vlans.some((x) => x === '200-210' || x === '200')).toBe(true);
          });
        });

        test.for(L2_VERSIONS)('L2 with vlan 100 and a trunk at %s', async (v, { expect }) => {
          await withTestbed(v, async (bed) => {
            const c = await bed.container();
            await addL2(bed, c, { vlan: 100, vlanTrunk: [{ id: 101 }, { id: 102 }] });
            const vlans = await portVlans(bed);
            expect(vlans).toContain('100 PVID untagged');
            expect(vlans.some((x) => x === '101' || x === '101-102')).toBe(true);
          });
        });

        const layouts = [
          { name: 'IPv4', subnets: [['10.1.2.0/24']], gws: ['10.1.2.1/24'] },
          { name: 'IPv6', subnets: [['fd00:1234::/64']], gws: ['fd00:1234::1/64'] },
          {
            name: 'dual stack',
            subnets: [['10.1.2.0/24'], ['fd00:1234::/64']],
            gws: ['10.1.2.1/24', 'fd00:1234::1/64'],
          },
          {
            name: '1×IPv4 + 2×IPv6',
            subnets: [['10.1.2.0/24'], ['fd00:1234::/64'], ['fd00:5678::/64']],
            gws: ['10.1.2.1/24', 'fd00:1234::1/64', 'fd00:5678::1/64'],
          },
        ];
        for (const layout of layouts) {
          for (const preserveDefaultVlan of [false, true]) {
            test.for(L2_VERSIONS)(
              `L3 ${layout.name} with vlan 100, preserveDefaultVlan ${preserveDefaultVlan}, at %s`,
              async (v, { expect }) => {
                await withTestbed(v, async (bed) => {
                  const c = await bed.container();
                  const conf = bed.netconf({
                    isGateway: true,
                    vlan: 100,
                    preserveDefaultVlan,
                    ipam: bed.ipam(layout.subnets),
                  });
                  const add = await bed.add(c, conf);
                  expect(add.exitCode, describeRun(add)).toBe(0);
                  const host = await view(bed.host);
                  // lo, the bridge, the container's veth, and the gateway veth pair.
                  expect(host.links).toHaveLength(5);
                  expect(cidrsOf(host, `${BRIDGE}.100`)).toEqual([...layout.gws].sort());
                  const vlans = await portVlans(bed);
                  expect(vlans).toContain('100 PVID untagged');
                  if (!preserveDefaultVlan) expect(vlans).toHaveLength(1);
                  await expectDetached(expect, bed, c, await bed.del(c, conf), 1);
                });
              },
            );
          }
        }
      });
    });

  describe.skipIf(CANDIDATE_IS_REFERENCE).concurrent(`vlanTrunk validation ${OURS_ONLY}`, () => {
    const cases: readonly (readonly [unknown, string])[] = [
      [{ minID: 0, maxID: 10 }, 'incorrect trunk minID parameter'],
      [{ minID: 5000, maxID: 5001 }, 'incorrect trunk minID parameter'],
      [{ minID: 10, maxID: 5000 }, 'incorrect trunk maxID parameter'],
      [{ minID: 10, maxID: 5 }, 'minID is greater than maxID in trunk parameter'],
      [{ maxID: 10 }, 'minID and maxID should be configured simultaneously, minID is missing'],
      [{ minID: 10 }, 'minID and maxID should be configured simultaneously, maxID is missing'],
      [{ id: 0 }, 'incorrect trunk id parameter'],
      [{ id: 5000 }, 'incorrect trunk id parameter'],
    ];
    test.for(cases)('vlanTrunk [%j] is refused', async ([item, msg], { expect }) => {
      await withTestbed('1.0.0', async (bed) => {
        const c = await bed.container();
        const add = await bed.add(c, bed.netconf({ vlanTrunk: [item] }));
        expect(errorOf(add).msg).toContain(msg);
        expect((await view(bed.host)).links.map((l) => l.ifname)).toEqual(['lo']);
      });
    });
  });
});
