/**
 * Ours-only: the Bun executable enters the container's namespace itself (setns on its main thread)
 * instead of starting `nsenter` and `sh`: ADD, CHECK and DEL work with neither on PATH, and the
 * container's interface, addresses and sysctls are set inside its namespace, not on the host.
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { mustExecIn } from '@cnikit-tools/test-utils';
import { withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { globalCidrs, link } from './support/inspect.js';
import { describePrivileged } from './support/suite.js';
import { describeRun } from './support/testbed.js';

/** A PATH directory holding every system tool except nsenter and the shells. */
function pathWithoutNsenter(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cnikit-e2e-path-'));
  for (const from of ['/usr/sbin', '/usr/bin']) {
    for (const name of readdirSync(from)) {
      if (['nsenter', 'sh', 'dash', 'bash'].includes(name)) continue;
      try {
        symlinkSync(join(from, name), join(dir, name));
      } catch {
        // Same name in both directories: the first one wins, as on a PATH.
      }
    }
  }
  return dir;
}

describePrivileged('entering the container namespace', () => {
  describe.skipIf(CANDIDATE_IS_REFERENCE)(`without nsenter ${OURS_ONLY}`, () => {
    test('ADD, CHECK and DEL configure the container inside its namespace', async ({ expect }) => {
      const path = pathWithoutNsenter();
      try {
        await withTestbed('1.0.0', async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({ isGateway: true, ipam: bed.ipam([['10.1.2.0/24']]) });
          const add = await bed.add(c, conf, { envPath: path });
          expect(add.exitCode, describeRun(add)).toBe(0);
          expect(await globalCidrs(c, 'eth0')).toEqual([
            expect.stringMatching(/^10\.1\.2\.\d+\/24$/),
          ]);
          expect(await link(bed.host, 'eth0')).toBeUndefined();
          const sysctl = (key: string) =>
            mustExecIn(c, ['cat', `/proc/sys/net/${key}`]).then((v) => v.trim());
          expect(await sysctl('ipv4/conf/eth0/arp_notify')).toBe('1');
          expect(await sysctl('ipv6/conf/eth0/accept_dad')).toBe('0');
          const check = await bed.check(c, conf, add.json, { envPath: path });
          expect(check.exitCode, describeRun(check)).toBe(0);
          const del = await bed.del(c, conf, { envPath: path });
          expect(del.exitCode, describeRun(del)).toBe(0);
          expect(await link(c, 'eth0')).toBeUndefined();
        });
      } finally {
        rmSync(path, { recursive: true, force: true });
      }
    });
  });
});
