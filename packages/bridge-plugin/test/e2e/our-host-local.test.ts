/**
 * Ours-only, spec 1.1.0 end to end on our two plugins alone: the bridge with our host-local as IPAM
 * (the reference host-local stops at 1.0.0, so nothing else can serve a 1.1.0 network with an
 * address). ADD answers in 1.1.0, CHECK and STATUS pass, GC with the valid attachments removes the
 * stale attachment's masquerade rules and releases its address, DEL removes the rest.
 */
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';
import { withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { masqueradeRulesOf, natRules, reservations } from './support/inspect.js';
import { iptablesMasqLines } from './support/masquerade.js';
import { describePrivileged } from './support/suite.js';
import { describeRun, NETWORK, type Testbed } from './support/testbed.js';

const OUR_HOST_LOCAL = fileURLToPath(
  new URL('../../../host-local/dist/host-local', import.meta.url),
);

/** A CNI_PATH directory whose host-local is ours. */
function ourIpamPath(bed: Testbed): string {
  if (!existsSync(OUR_HOST_LOCAL))
    throw new Error(`${OUR_HOST_LOCAL} is missing: build it first (npm run build)`);
  const dir = bed.fakeBin();
  symlinkSync(OUR_HOST_LOCAL, join(dir.dir, 'host-local'));
  return dir.dir;
}

describePrivileged('spec 1.1.0 on our bridge and our host-local', () => {
  describe.skipIf(CANDIDATE_IS_REFERENCE)(`end to end ${OURS_ONLY}`, () => {
    test('ADD, CHECK, STATUS, GC and DEL', async ({ expect }) => {
      await withTestbed('1.1.0', async (bed) => {
        const cniPath = ourIpamPath(bed);
        const conf = bed.netconf({
          isGateway: true,
          ipMasq: true,
          ipam: bed.ipam([['10.7.0.0/24']]),
        });
        const [c0, c1] = [await bed.container(), await bed.container()];
        const a0 = await bed.add(c0, conf, { cniPath });
        const a1 = await bed.add(c1, conf, { cniPath });
        expect(a0.exitCode, describeRun(a0)).toBe(0);
        expect(a1.exitCode, describeRun(a1)).toBe(0);
        expect(a0.json).toMatchObject({ cniVersion: '1.1.0', ips: [{ interface: 2 }] });
        const ip0 = (a0.json as { ips: Array<{ address: string }> }).ips[0]?.address ?? '';
        const ip1 = (a1.json as { ips: Array<{ address: string }> }).ips[0]?.address ?? '';
        expect(ip0).not.toBe(ip1);

        const check = await bed.check(c0, conf, a0.json, { cniPath });
        expect(check.exitCode, describeRun(check)).toBe(0);
        const status = await bed.run('STATUS', undefined, conf, { cniPath });
        expect(status.exitCode, describeRun(status)).toBe(0);

        const [id0, id1] = [bed.containerId(c0), bed.containerId(c1)];
        const gc = await bed.run(
          'GC',
          undefined,
          { ...conf, 'cni.dev/valid-attachments': [{ containerID: id0, ifname: 'eth0' }] },
          { cniPath },
        );
        expect(gc.exitCode, describeRun(gc)).toBe(0);
        expect(reservations(bed.dataDir, NETWORK)).toEqual([ip0.split('/')[0]]);
        const rules = masqueradeRulesOf(await natRules(bed.host, 4));
        expect(rules.sort()).toEqual(iptablesMasqLines(NETWORK, id0, ip0).sort());
        expect(rules.join('\n')).not.toContain(id1);

        const del = await bed.del(c0, conf, { cniPath });
        expect(del.exitCode, describeRun(del)).toBe(0);
        expect(reservations(bed.dataDir, NETWORK)).toEqual([]);
        expect(masqueradeRulesOf(await natRules(bed.host, 4))).toEqual([]);
      });
    });
  });
});
