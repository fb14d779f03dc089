/**
 * Root only: the MAC spoof check against the reference bridge plugin's `macspoofchk` (Debian
 * 1.1.1 has it), in throwaway namespaces.
 */
import { describe, expect, it } from 'vitest';
import { deleteNetns, isRoot, NOT_ROOT_REASON, Sandbox } from '@cnikit-tools/test-utils';
import type { Netns } from '@cnikit-tools/test-utils';
import { gcSpoofCheck, setupSpoofCheck, teardownSpoofCheck } from '../../src/index.ts';
import { linesWith, nftTable } from '../helpers/dumps.ts';
import { ReferenceBridge, type ReferenceAttachment } from '../helpers/reference.ts';
import { cleanupAfterEach } from '../helpers/cleanup.ts';

describe.skipIf(!isRoot)(`spoof check against the reference (${NOT_ROOT_REASON})`, () => {
  const track = cleanupAfterEach();
  const sandbox = (): Sandbox => track(new Sandbox());
  const bridgeNat = (ns: Netns) => nftTable(ns, 'bridge', 'nat');

  async function referenceAdd(count: number) {
    const sb = sandbox();
    const host = await sb.host();
    const ref = track(
      new ReferenceBridge(host, {
        name: 'spoofnet',
        bridge: 'cnkref0',
        subnets: ['10.44.0.0/24'],
        macspoofchk: true,
      }),
    );
    const added: (ReferenceAttachment & { hostIfName: string; mac: string })[] = [];
    for (let i = 0; i < count; i++) {
      const a = { containerId: `ctr-spoof-${i}`, ifName: 'eth0', container: await sb.container() };
      added.push({ ...a, ...(await ref.add(a)) });
    }
    return { host, ref, added };
  }

  it('setup writes the same bridge nat table as the reference', async () => {
    const r = await referenceAdd(2);
    const fresh = await sandbox().host();
    for (const a of r.added) await setupSpoofCheck({ ...a, netns: fresh.path });
    expect(await bridgeNat(fresh)).toBe(await bridgeNat(r.host));
    expect(linesWith(await bridgeNat(fresh), 'macspoofchk-ctr-spoof-0-eth0')).toHaveLength(4);
  });

  it('setup over the reference adds no duplicate, and the reference DEL removes ours', async () => {
    const r = await referenceAdd(1);
    const [a] = r.added;
    if (!a) throw new Error('no attachment');
    const before = await bridgeNat(r.host);
    await setupSpoofCheck({ ...a, netns: r.host.path });
    expect(await bridgeNat(r.host)).toBe(before);
    await r.ref.del(a);
    expect(await bridgeNat(r.host)).not.toContain('macspoofchk');
  });

  it('teardown by comment works after the host veth is gone', async () => {
    const r = await referenceAdd(2);
    const [gone, kept] = r.added;
    if (!gone || !kept) throw new Error('no attachments');
    await deleteNetns(gone.container); // takes the veth pair with it
    await teardownSpoofCheck({ containerId: gone.containerId, ifName: 'eth0', netns: r.host.path });
    const text = await bridgeNat(r.host);
    expect(text).not.toContain(gone.containerId);
    expect(linesWith(text, `macspoofchk-${kept.containerId}-eth0`)).toHaveLength(4);
  });

  it('GC keeps the valid attachment and removes the others', async () => {
    const r = await referenceAdd(3);
    await gcSpoofCheck({
      validAttachments: [{ containerID: 'ctr-spoof-1', ifname: 'eth0' }],
      netns: r.host.path,
    });
    const text = await bridgeNat(r.host);
    expect(text).not.toContain('ctr-spoof-0');
    expect(text).not.toContain('ctr-spoof-2');
    expect(linesWith(text, 'macspoofchk-ctr-spoof-1-eth0')).toHaveLength(4);
  });

  it('20 concurrent setups, then 20 concurrent teardowns', async () => {
    const host = await sandbox().host();
    const ids = Array.from({ length: 20 }, (_, i) => i);
    const attach = (i: number) => ({ containerId: `ctr-${i}`, ifName: 'eth0', netns: host.path });
    await Promise.all(
      ids.map((i) =>
        setupSpoofCheck({
          ...attach(i),
          hostIfName: `veth${i}`,
          mac: `0a:58:0a:2c:00:${(i + 2).toString(16).padStart(2, '0')}`,
        }),
      ),
    );
    const text = await bridgeNat(host);
    expect(linesWith(text, 'iifname')).toHaveLength(20);
    expect(linesWith(text, 'comment "macspoofchk-')).toHaveLength(80);
    await Promise.all(ids.map((i) => teardownSpoofCheck(attach(i))));
    expect(await bridgeNat(host)).not.toContain('macspoofchk');
  });
});
