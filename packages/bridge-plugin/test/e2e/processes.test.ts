/**
 * What the executable starts: ADD, CHECK and DEL of a basic network start no process but the IPAM
 * plugin (everything else goes over netlink and /proc/sys from the plugin's own process), and
 * with ipMasq one `iptables-restore` for the rules. Every tool it might run is put first on PATH
 * as a wrapper that records its name, then runs the real one.
 */
import { readFileSync } from 'node:fs';
import { pluginPathEnv } from '@cnikit-tools/test-utils';
import { describe, test } from 'vitest';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { CANDIDATE_IS_REFERENCE, OURS_ONLY } from './support/bridge-binary.js';
import { describePrivileged } from './support/suite.js';
import { describeRun, type Testbed } from './support/testbed.js';

const TOOLS = ['ip', 'bridge', 'nsenter', 'sh', 'iptables-restore', 'iptables-save', 'nft'];

/** Wrappers of TOOLS that append their names to a log; the PATH that finds them first. */
function recordingPath(bed: Testbed): { envPath: string; started: () => string[] } {
  const dir = bed.fakeBin();
  const log = dir.file('started.log');
  for (const tool of TOOLS) {
    const real = `/usr/sbin/${tool}`;
    const target = tool === 'sh' ? '/bin/sh' : tool === 'nsenter' ? '/usr/bin/nsenter' : real;
    dir.add(tool, `echo ${tool} >> ${log}\nexec ${target} "$@"`);
  }
  const started = () => {
    try {
      return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { envPath: `${dir.dir}:${pluginPathEnv()}`, started };
}

describePrivileged('processes the executable starts', () => {
  describe.skipIf(CANDIDATE_IS_REFERENCE).concurrent(OURS_ONLY, () => {
    test('basic ADD, CHECK and DEL: only the IPAM plugin', async ({ expect }) => {
      await withTestbed('1.0.0', async (bed) => {
        const { envPath, started } = recordingPath(bed);
        const c = await bed.container();
        const conf = bed.netconf({ isGateway: true, ipam: bed.ipam([['10.1.2.0/24']]) });
        const add = await bed.add(c, conf, { envPath });
        await expectAttached(expect, bed, c, add, { v4: 1 });
        const check = await bed.check(c, conf, add.json, { envPath });
        expect(check.exitCode, describeRun(check)).toBe(0);
        await expectDetached(expect, bed, c, await bed.del(c, conf, { envPath }));
        expect(started()).toEqual([]);
      });
    });

    test('ipMasq ADD and DEL: one iptables-restore each', async ({ expect }) => {
      await withTestbed('1.0.0', async (bed) => {
        const { envPath, started } = recordingPath(bed);
        const c = await bed.container();
        const conf = bed.netconf({
          isGateway: true,
          ipMasq: true,
          ipam: bed.ipam([['10.1.2.0/24']]),
        });
        const add = await bed.add(c, conf, { envPath });
        await expectAttached(expect, bed, c, add, { v4: 1 });
        expect(started()).toEqual(['iptables-restore']);
        const withPrev = { ...conf, prevResult: add.json };
        await expectDetached(expect, bed, c, await bed.del(c, withPrev, { envPath }));
        expect(started()).toEqual(['iptables-restore', 'iptables-restore']);
      });
    });
  });
});
