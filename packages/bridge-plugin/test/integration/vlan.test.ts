import {
  NOT_ROOT_REASON,
  execIn,
  isRoot,
  type BridgeExecutableKind,
} from '@cnikit-tools/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const KINDS: BridgeExecutableKind[] = ['bun', 'node'];

describe.skipIf(!isRoot).each(KINDS)(`bridge VLANs with %s (${NOT_ROOT_REASON})`, (kind) => {
  let h: Harness;
  beforeEach(async () => {
    h = await new Harness(kind).start();
  });
  afterEach(() => h.cleanup());

  /** True when this kernel can filter VLANs on a bridge (many test kernels cannot). */
  async function kernelFiltersVlans(): Promise<boolean> {
    const probe = await execIn(h.host, [
      'ip',
      'link',
      'add',
      'vprobe',
      'type',
      'bridge',
      'vlan_filtering',
      '1',
    ]);
    await execIn(h.host, ['ip', 'link', 'del', 'vprobe']);
    return probe.exitCode === 0;
  }

  it('an access VLAN makes the port PVID untagged and drops the default VLAN', async (ctx) => {
    if (!(await kernelFiltersVlans())) {
      // What the plugin does then is the reference's error, and nothing is left behind.
      const c = await h.container();
      const r = await h.call(
        'ADD',
        { cniVersion: '1.0.0', name: 'itest', type: 'bridge', bridge: h.bridge, vlan: 100 },
        { container: c },
      );
      expect(r.error?.msg).toBe(
        `failed to create bridge "${h.bridge}": could not add "${h.bridge}": operation not supported`,
      );
      expect([...(await h.hostLinks()).keys()].some((n) => n.startsWith('veth'))).toBe(false);
      ctx.skip('kernel without bridge VLAN filtering (vlan_filtering=1 gives EOPNOTSUPP)');
    }
    const c = await h.container();
    const conf = {
      cniVersion: '1.0.0',
      name: 'itest',
      type: 'bridge',
      bridge: h.bridge,
      vlan: 100,
      vlanTrunk: [{ id: 200 }],
    };
    const result = await h.add(conf, { container: c });
    const veth = result.interfaces![1]!.name;
    const vlans = JSON.parse(
      await h.hostRun(['bridge', '-j', 'vlan', 'show', 'dev', veth]),
    ) as Array<{
      vlans: Array<{ vlan: number; flags?: string[] }>;
    }>;
    const entries = vlans[0]?.vlans ?? [];
    expect(entries.map((v) => v.vlan).sort()).toEqual([100, 200]);
    expect(entries.find((v) => v.vlan === 100)?.flags).toEqual(['PVID', 'Egress Untagged']);
  });
});
