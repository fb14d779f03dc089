/**
 * Ours-only (spec 1.1.0; the reference 1.1.1 stops at 1.0.0 and upstream GC is a no-op): GC with
 * `cni.dev/valid-attachments` removes the masquerade rules and IPAM reservations of every other
 * attachment; STATUS answers code 50 when a tool ADD needs is missing from PATH.
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { DEFAULT_PLUGIN_PATH_ENV } from '@cnikit-tools/test-utils';
import { withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { masqueradeRulesOf, natRules, nftChain, reservations } from './support/inspect.js';
import { iptablesMasqLines, nftMasqCommentPrefix } from './support/masquerade.js';
import { describePrivileged } from './support/suite.js';
import { describeRun, errorOf, NETWORK } from './support/testbed.js';
import { viewResult } from './support/versions.js';

/** A PATH directory holding every system tool except the iptables family. */
function pathWithoutIptables(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cnikit-e2e-path-'));
  for (const from of ['/usr/sbin', '/usr/bin']) {
    for (const name of readdirSync(from)) {
      if (/^(ip6?tables|xtables|arptables|ebtables)/.test(name)) continue;
      try {
        symlinkSync(join(from, name), join(dir, name));
      } catch {
        // Same name in both directories: the first one wins, as on a PATH.
      }
    }
  }
  return dir;
}

describePrivileged('GC and STATUS', () => {
  describe.skipIf(CANDIDATE_IS_REFERENCE).concurrent(`GC ${OURS_ONLY}`, () => {
    for (const backend of ['iptables', 'nftables']) {
      test(`valid-attachments keeps one attachment and removes the other (${backend})`, async ({
        expect,
      }) => {
        await withTestbed('1.1.0', async (bed) => {
          const [c0, c1] = [await bed.container(), await bed.container()];
          const conf = bed.netconf({
            isGateway: true,
            ipMasq: true,
            ipMasqBackend: backend,
            ipam: bed.ipam([['10.1.2.0/24']]),
          });
          const [a0, a1] = [await bed.add(c0, conf), await bed.add(c1, conf)];
          expect(a0.exitCode, describeRun(a0)).toBe(0);
          expect(a1.exitCode, describeRun(a1)).toBe(0);
          const ip0 = viewResult('1.1.0', a0.json).ips[0]?.address ?? '';
          const [id0, id1] = [bed.containerId(c0), bed.containerId(c1)];

          const gc = await bed.run('GC', undefined, {
            ...conf,
            'cni.dev/valid-attachments': [{ containerID: id0, ifname: 'eth0' }],
          });
          expect(gc.exitCode, describeRun(gc)).toBe(0);
          expect(gc.stdout.trim()).toBe('');
          expect(reservations(bed.dataDir, NETWORK)).toEqual([ip0.split('/')[0]]);
          if (backend === 'iptables') {
            const rules = masqueradeRulesOf(await natRules(bed.host, 4));
            expect(rules.sort()).toEqual(iptablesMasqLines(NETWORK, id0, ip0).sort());
          } else {
            const chain =
              (await nftChain(bed.host, 'inet', 'cni_plugins_masquerade', 'masq_checks')) ?? [];
            expect(
              chain.filter((l) => l.includes(nftMasqCommentPrefix(NETWORK, 'eth0', id0))),
            ).toHaveLength(1);
            expect(
              chain.filter((l) => l.includes(nftMasqCommentPrefix(NETWORK, 'eth0', id1))),
            ).toEqual([]);
          }
        });
      });
    }

    test('without valid-attachments everything of the network is stale', async ({ expect }) => {
      await withTestbed('1.1.0', async (bed) => {
        const c0 = await bed.container();
        const conf = bed.netconf({
          isGateway: true,
          ipMasq: true,
          ipam: bed.ipam([['10.1.2.0/24']]),
        });
        expect((await bed.add(c0, conf)).exitCode).toBe(0);
        const gc = await bed.run('GC', undefined, conf);
        expect(gc.exitCode, describeRun(gc)).toBe(0);
        expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
        expect(masqueradeRulesOf(await natRules(bed.host, 4))).toEqual([]);
      });
    });
  });

  describe.skipIf(CANDIDATE_IS_REFERENCE).concurrent(`STATUS ${OURS_ONLY}`, () => {
    test('is 50 when iptables is missing from PATH for an iptables ipMasq', async ({ expect }) => {
      await withTestbed('1.1.0', async (bed) => {
        const conf = bed.netconf({
          isGateway: true,
          ipMasq: true,
          ipMasqBackend: 'iptables',
          ipam: bed.ipam([['10.1.2.0/24']]),
        });
        const ok = await bed.run('STATUS', undefined, conf);
        expect(ok.exitCode, describeRun(ok)).toBe(0);
        expect(ok.stdout.trim()).toBe('');
        const noIptables = pathWithoutIptables();
        try {
          const missing = await bed.run('STATUS', undefined, conf, { envPath: noIptables });
          expect(errorOf(missing).code).toBe(50);
        } finally {
          rmSync(noIptables, { recursive: true, force: true });
        }
      });
    });

    test('succeeds for an L2 network', async ({ expect }) => {
      await withTestbed('1.1.0', async (bed) => {
        const r = await bed.run('STATUS', undefined, bed.netconf(), {
          envPath: DEFAULT_PLUGIN_PATH_ENV,
        });
        expect(r.exitCode, describeRun(r)).toBe(0);
      });
    });
  });
});
