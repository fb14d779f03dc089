/**
 * Ours-only: the reference rolls back only its IPAM reservation and spoof-check rules when ADD
 * fails (reference-bridge.md §2.1 "Rollback"), and leaks masquerade rules when DEL cannot see the
 * container (issue #810). Ours must leave nothing but the bridge after a failed ADD, forced at
 * several steps, and must remove masquerade rules by container identity on DEL.
 */
import { describe, test, type ExpectStatic } from 'vitest';
import { deleteNetns, mustExecIn, type Netns } from '@cnikit-tools/test-utils';
import { withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import {
  cidrsOf,
  findLink,
  masqueradeRulesOf,
  natRules,
  nftChain,
  nftRuleset,
  reservations,
  view,
} from './support/inspect.js';
import { nftMasqCommentPrefix } from './support/masquerade.js';
import { describePrivileged } from './support/suite.js';
import { BRIDGE, describeRun, errorOf, NETWORK, type Testbed } from './support/testbed.js';
import { FEW_VERSIONS, isLegacy } from './support/versions.js';

const SUBNETS = [['10.1.2.0/24'], ['fd00:1234::/64']];

/** Every feature that leaves state behind, so a failed ADD has something to roll back. */
function busyConfig(bed: Testbed, ipam: Record<string, unknown>): Record<string, unknown> {
  return bed.netconf({ isGateway: true, ipMasq: true, macspoofchk: true, ipam });
}

/** After a failed ADD: the host holds at most the bridge, and no rule or reservation remains. */
async function expectNothingButTheBridge(
  expect: ExpectStatic,
  bed: Testbed,
  c: Netns | undefined,
  otherHostLinks: readonly string[] = [BRIDGE],
): Promise<void> {
  const host = await view(bed.host);
  const names = host.links.map((l) => l.ifname).filter((n) => n !== 'lo');
  for (const name of names) expect(otherHostLinks).toContain(name);
  if (c) expect((await view(c)).links.map((l) => l.ifname)).toEqual(['lo']);
  expect(
    masqueradeRulesOf([...(await natRules(bed.host, 4)), ...(await natRules(bed.host, 6))]),
  ).toEqual([]);
  const nft = await nftRuleset(bed.host);
  expect(nft.filter((l) => /masquerade|macspoofchk|ether saddr/.test(l))).toEqual([]);
  expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
}

describePrivileged('failure cleanup', () => {
  describe
    .skipIf(CANDIDATE_IS_REFERENCE)
    .concurrent(`a failed ADD leaves only the bridge ${OURS_ONLY}`, () => {
      test.for(FEW_VERSIONS)('IPAM fails at %s', async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const fake = bed.fakeBin();
          fake.add(
            'fail-ipam',
            `cat >/dev/null
if [ "$CNI_COMMAND" = ADD ]; then printf '{"code":11,"msg":"try later"}'; exit 1; fi
exit 0`,
          );
          const c = await bed.container();
          const add = await bed.add(c, busyConfig(bed, { type: 'fail-ipam' }), {
            cniPath: `${fake.dir}:${bed.cniPath()}`,
          });
          expect(errorOf(add)).toMatchObject({ code: 11, msg: 'try later' });
          await expectNothingButTheBridge(expect, bed, c);
        });
      });

      test.for(FEW_VERSIONS)(
        'a non-bridge link has the bridge name at %s',
        async (version, { expect }) => {
          await withTestbed(version, async (bed) => {
            await mustExecIn(bed.host, [
              'ip',
              'link',
              'add',
              BRIDGE,
              'type',
              'veth',
              'peer',
              'name',
              'squatter',
            ]);
            const c = await bed.container();
            const add = await bed.add(c, busyConfig(bed, bed.ipam(SUBNETS)));
            expect(errorOf(add).msg).toContain(`"${BRIDGE}" already exists but is not a bridge`);
            await expectNothingButTheBridge(expect, bed, c, [BRIDGE, 'squatter']);
            expect(findLink(await view(bed.host), BRIDGE)?.linkinfo?.info_kind).toBe('veth');
          });
        },
      );

      test.for(FEW_VERSIONS)(
        'the bridge has another address and no forceAddress at %s',
        async (version, { expect }) => {
          await withTestbed(version, async (bed) => {
            await mustExecIn(bed.host, ['ip', 'link', 'add', BRIDGE, 'type', 'bridge']);
            await mustExecIn(bed.host, ['ip', 'addr', 'add', '10.99.0.1/16', 'dev', BRIDGE]);
            const c = await bed.container();
            const add = await bed.add(c, busyConfig(bed, bed.ipam(SUBNETS)));
            expect(errorOf(add).msg).toContain('already has an IP address different from');
            await expectNothingButTheBridge(expect, bed, c);
            expect(cidrsOf(await view(bed.host), BRIDGE)).toEqual(['10.99.0.1/16']);
          });
        },
      );

      test.for(FEW_VERSIONS)('the netns vanished at %s', async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          await deleteNetns(c);
          const add = await bed.add(c, busyConfig(bed, bed.ipam(SUBNETS)));
          expect(add.exitCode, describeRun(add)).not.toBe(0);
          errorOf(add);
          await expectNothingButTheBridge(expect, bed, undefined);
        });
      });
    });

  describe
    .skipIf(CANDIDATE_IS_REFERENCE)
    .concurrent(`DEL without the container still removes masquerade rules ${OURS_ONLY}`, () => {
      for (const backend of ['iptables', 'nftables']) {
        for (const how of ['CNI_NETNS empty', 'netns gone']) {
          test.for(FEW_VERSIONS.filter((v) => !isLegacy(v)))(
            `${backend} backend, ${how}, at %s`,
            async (version, { expect }) => {
              await withTestbed(version, async (bed) => {
                const before = [await natRules(bed.host, 4), await natRules(bed.host, 6)];
                const c = await bed.container();
                const conf = bed.netconf({
                  isGateway: true,
                  ipMasq: true,
                  ipMasqBackend: backend,
                  ipam: bed.ipam(SUBNETS),
                });
                const add = await bed.add(c, conf);
                expect(add.exitCode, describeRun(add)).toBe(0);
                const prefix = nftMasqCommentPrefix(NETWORK, 'eth0', bed.containerId(c));
                const nftRules = async (): Promise<string[]> =>
                  (
                    (await nftChain(bed.host, 'inet', 'cni_plugins_masquerade', 'masq_checks')) ??
                    []
                  ).filter((l) => l.includes(prefix));
                if (backend === 'iptables')
                  expect(masqueradeRulesOf(await natRules(bed.host, 4))).not.toEqual([]);
                else expect(await nftRules()).toHaveLength(2);

                if (how === 'netns gone') await deleteNetns(c);
                const del = await bed.del(c, conf, how === 'netns gone' ? {} : { netns: '' });
                expect(del.exitCode, describeRun(del)).toBe(0);
                expect([await natRules(bed.host, 4), await natRules(bed.host, 6)]).toEqual(before);
                expect(await nftRules()).toEqual([]);
                expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
              });
            },
          );
        }
      }
    });
});
