/**
 * reference-bridge.md §3 scenario 18 and cni-spec.md §8 K: ADD/CHECK/DEL for IPv4, IPv6 and dual
 * stack (CHECK from 0.4.0 on, refused before), CHECK catching a removed address and a detached
 * veth; ours-only: CHECK of an L2 network succeeds (the reference 1.1.1 always fails it, baseline
 * finding 1) and catches a detached veth, and CHECK catches a missing masquerade rule.
 */
import { describe, test } from 'vitest';
import { mustExecIn } from '@cnikit-tools/test-utils';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { ofKind, view } from './support/inspect.js';
import { masqChain, masqComment } from './support/masquerade.js';
import { describePrivileged } from './support/suite.js';
import { describeRun, errorOf, NETWORK, type Testbed } from './support/testbed.js';
import {
  CHECK_VERSIONS,
  FEW_VERSIONS,
  supportsCheck,
  VERSIONS,
  viewResult,
} from './support/versions.js';

const LAYOUTS = [
  { name: 'IPv4', subnets: [['10.1.2.0/24']], v4: 1, v6: 0 },
  { name: 'IPv6', subnets: [['fd00:1234::/64']], v4: 0, v6: 1 },
  { name: 'dual stack', subnets: [['10.1.2.0/24'], ['fd00:1234::/64']], v4: 1, v6: 1 },
];

const FEW_CHECK_VERSIONS = FEW_VERSIONS.filter(supportsCheck);

/** Detaches the single host veth from the bridge. */
async function detachVeth(bed: Testbed): Promise<void> {
  const [veth] = ofKind(await view(bed.host), 'veth');
  if (!veth) throw new Error('no host veth to detach');
  await mustExecIn(bed.host, ['ip', 'link', 'set', 'dev', veth.ifname, 'nomaster']);
}

describePrivileged('CHECK', () => {
  describe.concurrent('ADD/CHECK/DEL', () => {
    for (const layout of LAYOUTS) {
      test.for(CHECK_VERSIONS)(`${layout.name} at %s`, async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({ isDefaultGateway: true, ipam: bed.ipam(layout.subnets) });
          const add = await bed.add(c, conf);
          await expectAttached(expect, bed, c, add, {
            v4: layout.v4,
            v6: layout.v6,
            defaultRoute: true,
          });
          const check = await bed.check(c, conf, add.json);
          expect(check.exitCode, describeRun(check)).toBe(0);
          expect(check.stdout.trim()).toBe('');
          await expectDetached(expect, bed, c, await bed.del(c, { ...conf, prevResult: add.json }));
        });
      });
    }

    test.for(VERSIONS.filter((v) => !supportsCheck(v)))(
      'CHECK is refused at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const check = await bed.check(c, bed.netconf(), {});
          const err = errorOf(check);
          expect(err.code).toBe(1);
          expect(err.msg).toBe('config version does not allow CHECK');
        });
      },
    );
  });

  describe.concurrent('CHECK finds damage', () => {
    test.for(FEW_CHECK_VERSIONS)(
      'a removed container address at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({ isGateway: true, ipam: bed.ipam([['10.1.2.0/24']]) });
          const add = await bed.add(c, conf);
          expect(add.exitCode, describeRun(add)).toBe(0);
          await mustExecIn(c, ['ip', 'addr', 'flush', 'dev', 'eth0', 'scope', 'global']);
          const check = await bed.check(c, conf, add.json);
          expect(check.exitCode, describeRun(check)).not.toBe(0);
          errorOf(check);
        });
      },
    );

    test.for(FEW_CHECK_VERSIONS)('a detached host veth at %s', async (version, { expect }) => {
      await withTestbed(version, async (bed) => {
        const c = await bed.container();
        const conf = bed.netconf({ isGateway: true, ipam: bed.ipam([['10.1.2.0/24']]) });
        const add = await bed.add(c, conf);
        expect(add.exitCode, describeRun(add)).toBe(0);
        await detachVeth(bed);
        const check = await bed.check(c, conf, add.json);
        expect(check.exitCode, describeRun(check)).not.toBe(0);
        errorOf(check);
      });
    });
  });

  describe.skipIf(CANDIDATE_IS_REFERENCE).concurrent(OURS_ONLY, () => {
    test.for(FEW_CHECK_VERSIONS)(
      'CHECK of an L2 network succeeds at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf();
          const add = await bed.add(c, conf);
          await expectAttached(expect, bed, c, add);
          const check = await bed.check(c, conf, add.json);
          expect(check.exitCode, describeRun(check)).toBe(0);
          expect(check.stdout.trim()).toBe('');
        });
      },
    );

    // The unpinned bridge takes its lowest port MAC: c1 joining or c0 leaving changes it for one
    // of the two recorded results, whichever MAC is lower (docs/compatibility.md).
    test.for(FEW_CHECK_VERSIONS)(
      'CHECK of an L2 network with two containers coming and going at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const [c0, c1] = [await bed.container(), await bed.container()];
          const conf = bed.netconf();
          const add0 = await bed.add(c0, conf);
          expect(add0.exitCode, describeRun(add0)).toBe(0);
          const add1 = await bed.add(c1, conf);
          expect(add1.exitCode, describeRun(add1)).toBe(0);
          const check0 = await bed.check(c0, conf, add0.json);
          expect(check0.exitCode, describeRun(check0)).toBe(0);
          const del0 = await bed.del(c0, conf);
          expect(del0.exitCode, describeRun(del0)).toBe(0);
          const check1 = await bed.check(c1, conf, add1.json);
          expect(check1.exitCode, describeRun(check1)).toBe(0);
        });
      },
    );

    test.for(FEW_CHECK_VERSIONS)(
      'CHECK of an L2 network finds a detached veth at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf();
          const add = await bed.add(c, conf);
          expect(add.exitCode, describeRun(add)).toBe(0);
          await detachVeth(bed);
          const check = await bed.check(c, conf, add.json);
          expect(check.exitCode, describeRun(check)).not.toBe(0);
          errorOf(check);
        });
      },
    );

    test.for(FEW_CHECK_VERSIONS)(
      'CHECK finds a missing masquerade rule at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({
            isGateway: true,
            ipMasq: true,
            ipMasqBackend: 'iptables',
            ipam: bed.ipam([['10.1.2.0/24']]),
          });
          const add = await bed.add(c, conf);
          expect(add.exitCode, describeRun(add)).toBe(0);
          const ok = await bed.check(c, conf, add.json);
          expect(ok.exitCode, describeRun(ok)).toBe(0);
          // Drop the jump into the container's chain, as a firewall reload would.
          const id = bed.containerId(c);
          const ip = viewResult(version, add.json).ips[0]?.address.split('/')[0] ?? '';
          await mustExecIn(bed.host, [
            'iptables',
            '-t',
            'nat',
            '-D',
            'POSTROUTING',
            '-s',
            `${ip}/32`,
            '-m',
            'comment',
            '--comment',
            masqComment(NETWORK, id),
            '-j',
            masqChain(NETWORK, id),
          ]);
          const check = await bed.check(c, conf, add.json);
          expect(check.exitCode, describeRun(check)).not.toBe(0);
          errorOf(check);
        });
      },
    );
  });
});
