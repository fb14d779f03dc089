/**
 * reference-bridge.md §3 scenario 17: ipMasq with the default backend, `iptables` and (ours-only:
 * the reference 1.1.1 has no ipMasqBackend and ignores the key) `nftables`; the rules follow the
 * reference's naming exactly and are gone after DEL.
 */
import { describe, test } from 'vitest';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { masqueradeRulesOf, natRules, nftChain } from './support/inspect.js';
import { iptablesMasqLines, nftMasqCommentPrefix } from './support/masquerade.js';
import { describePrivileged } from './support/suite.js';
import { NETWORK } from './support/testbed.js';
import { FEW_VERSIONS, isLegacy, isV6, VERSIONS } from './support/versions.js';

const LAYOUTS = [
  { name: 'IPv4', subnets: [['10.1.2.0/24']], v4: 1, v6: 0 },
  { name: 'dual stack', subnets: [['10.1.2.0/24'], ['fd00:1234::/64']], v4: 1, v6: 1 },
];

describePrivileged('ipMasq', () => {
  describe.concurrent('iptables rules', () => {
    const backends: readonly (string | undefined)[] = [undefined, 'iptables'];
    for (const backend of backends) {
      for (const layout of LAYOUTS) {
        const versions = (backend === undefined ? VERSIONS : FEW_VERSIONS).filter(
          (v) => !isLegacy(v),
        );
        test.for(versions)(
          `${layout.name}, backend ${backend ?? 'default'}, at %s`,
          async (version, { expect }) => {
            await withTestbed(version, async (bed) => {
              const c = await bed.container();
              const conf = bed.netconf({
                isGateway: true,
                ipMasq: true,
                ...(backend === undefined ? {} : { ipMasqBackend: backend }),
                ipam: bed.ipam(layout.subnets),
              });
              const result = await expectAttached(expect, bed, c, await bed.add(c, conf), {
                v4: layout.v4,
                v6: layout.v6,
              });
              const id = bed.containerId(c);
              for (const family of [4, 6] as const) {
                const rules = await natRules(bed.host, family);
                const ips = result.ips.filter((ip) => isV6(ip.address) === (family === 6));
                const want = ips.flatMap((ip) => iptablesMasqLines(NETWORK, id, ip.address));
                expect(masqueradeRulesOf(rules).sort()).toEqual(want.sort());
              }
              await expectDetached(expect, bed, c, await bed.del(c, conf));
              for (const family of [4, 6] as const) {
                expect(masqueradeRulesOf(await natRules(bed.host, family))).toEqual([]);
              }
            });
          },
        );
      }
    }
  });

  describe.skipIf(CANDIDATE_IS_REFERENCE).concurrent(`nftables backend ${OURS_ONLY}`, () => {
    for (const layout of LAYOUTS) {
      test.for(FEW_VERSIONS.filter((v) => !isLegacy(v)))(
        `${layout.name} at %s`,
        async (version, { expect }) => {
          await withTestbed(version, async (bed) => {
            const c = await bed.container();
            const conf = bed.netconf({
              isGateway: true,
              ipMasq: true,
              ipMasqBackend: 'nftables',
              ipam: bed.ipam(layout.subnets),
            });
            const result = await expectAttached(expect, bed, c, await bed.add(c, conf), {
              v4: layout.v4,
              v6: layout.v6,
            });
            const prefix = nftMasqCommentPrefix(NETWORK, 'eth0', bed.containerId(c));
            const chain = await nftChain(bed.host, 'inet', 'cni_plugins_masquerade', 'masq_checks');
            const rules = (chain ?? []).filter((l) => l.includes(prefix));
            expect(rules).toHaveLength(result.ips.length);
            for (const ip of result.ips) {
              const addr = ip.address.split('/')[0] ?? '';
              expect(
                rules.some((r) => r.includes(` saddr ${addr} `) && r.includes('masquerade')),
              ).toBe(true);
            }
            // No iptables rules with this backend.
            expect(masqueradeRulesOf(await natRules(bed.host, 4))).toEqual([]);
            await expectDetached(expect, bed, c, await bed.del(c, conf));
            const after = await nftChain(bed.host, 'inet', 'cni_plugins_masquerade', 'masq_checks');
            expect((after ?? []).filter((l) => l.includes(prefix))).toEqual([]);
          });
        },
      );
    }
  });
});
