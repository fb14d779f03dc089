/**
 * The Node entry (dist/cli.cjs, the npm bin) through real ADD, CHECK, STATUS and DEL: its own
 * path, not the executable's (iproute2 batches, `nsenter` and a shell for the container side,
 * synchronous /proc/sys and stdin, /dev/urandom for the veth name, node:crypto for chain names).
 */
import { existsSync } from 'node:fs';
import { BRIDGE_EXECUTABLES } from '@cnikit-tools/test-utils';
import { describe, test, type ExpectStatic } from 'vitest';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE } from './support/bridge-binary.js';
import { link, masqueradeRulesOf, natRules } from './support/inspect.js';
import { iptablesMasqLines } from './support/masquerade.js';
import { recordingPath } from './support/recording-path.js';
import { describePrivileged } from './support/suite.js';
import { BRIDGE, describeRun, NETWORK, type Testbed } from './support/testbed.js';

const CLI = BRIDGE_EXECUTABLES.node;

/**
 * A basic ADD through the Node entry started by `wrapper` (a shell line that execs its arguments),
 * checked against the system; returns the tools it started, sorted, and removes it again.
 */
async function basicAdd(expect: ExpectStatic, bed: Testbed, wrapper: string): Promise<string[]> {
  const { envPath, started } = recordingPath(bed);
  const node = bed.fakeBin().add('bridge-node', `${wrapper} ${process.execPath} ${CLI} "$@"`);
  const c = await bed.container();
  const conf = bed.netconf({ ipam: bed.ipam([['10.1.2.0/24']]) });
  const add = await bed.add(c, conf, { binary: node, envPath });
  const result = await expectAttached(expect, bed, c, add, { v4: 1 });
  const hostVeth = (result.interfaces ?? []).find((i) => i.name.startsWith('veth'));
  expect(hostVeth?.mac).toBe((await link(bed.host, hostVeth?.name ?? ''))?.address);
  const tools = started().sort();
  await expectDetached(expect, bed, c, await bed.del(c, conf, { binary: node }));
  return tools;
}

describePrivileged('the Node entry', () => {
  describe.skipIf(CANDIDATE_IS_REFERENCE || !existsSync(CLI))(
    `ADD, CHECK, STATUS and DEL through ${CLI} (skipped for the reference or before the build)`,
    () => {
      test('dual stack with ipMasq', async ({ expect }) => {
        await withTestbed('1.1.0', async (bed) => {
          const node = bed.fakeBin().add('bridge-node', `exec ${process.execPath} ${CLI} "$@"`);
          const c = await bed.container();
          const conf = bed.netconf({
            isGateway: true,
            ipMasq: true,
            ipam: bed.ipam([['10.1.2.0/24'], ['fd00:1234::/64']]),
          });
          const add = await bed.add(c, conf, { binary: node });
          const result = await expectAttached(expect, bed, c, add, { v4: 1, v6: 1 });
          const hostVeth = (result.interfaces ?? []).find((i) => i.name.startsWith('veth'));
          expect(hostVeth?.name).toMatch(/^veth[0-9a-f]{8}$/);
          expect((await link(bed.host, hostVeth?.name ?? ''))?.master).toBe(BRIDGE);
          const id = bed.containerId(c);
          const v4 = result.ips.find((ip) => !ip.address.includes(':'))?.address ?? '';
          expect(masqueradeRulesOf(await natRules(bed.host, 4)).sort()).toEqual(
            iptablesMasqLines(NETWORK, id, v4).sort(),
          );

          const check = await bed.check(c, conf, add.json, { binary: node });
          expect(check.exitCode, describeRun(check)).toBe(0);
          const status = await bed.run('STATUS', undefined, conf, { binary: node });
          expect(status.exitCode, describeRun(status)).toBe(0);

          await expectDetached(expect, bed, c, await bed.del(c, conf, { binary: node }));
          expect(masqueradeRulesOf(await natRules(bed.host, 4))).toEqual([]);
        });
      });

      // The port check reads /sys/class/net when that /sys is the host namespace's own (as under
      // `ip netns exec`), and starts `ip` when it is another namespace's (here the machine's,
      // since the plugin is entered with nsenter --net only).
      test('basic ADD: the port check from its own /sys, else through ip', async ({ expect }) => {
        await withTestbed('1.0.0', async (bed) => {
          const ownSys = `exec /usr/bin/unshare --mount /bin/sh -c '/bin/mount -t sysfs sysfs /sys && exec "$@"' sh`;
          const viaSysfs = await basicAdd(expect, bed, ownSys);
          expect(viaSysfs).toEqual(['ip', 'ip', 'nsenter', 'sh']);
          const viaIp = await basicAdd(expect, bed, 'exec');
          expect(viaIp).toEqual([...viaSysfs, 'ip'].sort());
        });
      });
    },
  );
});
