/**
 * Root only: what our iptables backend writes equals what the reference bridge plugin
 * (/usr/lib/cni/bridge, Debian 1.1.1) writes for the same container, and each side removes the
 * other's rules, ours even where the reference leaks.
 */
import { describe, expect, it } from 'vitest';
import {
  deleteNetns,
  isRoot,
  mustExecIn,
  NOT_ROOT_REASON,
  Sandbox,
} from '@cnikit-tools/test-utils';
import type { Netns } from '@cnikit-tools/test-utils';
import { chainName, setupMasquerade, teardownMasquerade } from '../../src/index.ts';
import { natDumps } from '../helpers/dumps.ts';
import { ReferenceBridge, type ReferenceAttachment } from '../helpers/reference.ts';
import { cleanupAfterEach } from '../helpers/cleanup.ts';

const NETWORK = 'refnet';
const CID = 'ctr-ref-0001';
/** The container's identity, as the reference's config and ADD give it. */
const ID = { network: NETWORK, containerId: CID, ifName: 'eth0' } as const;

describe.skipIf(!isRoot)(`iptables backend against the reference (${NOT_ROOT_REASON})`, () => {
  const track = cleanupAfterEach();
  const sandbox = (): Sandbox => track(new Sandbox());

  /** A fresh namespace's nat dumps: only the built-in chains. */
  async function pristine(): Promise<{ v4: string; v6: string }> {
    return natDumps(await sandbox().host());
  }

  /** Our teardown by identity alone (no addresses) must leave `host`'s nat tables pristine. */
  async function expectTeardownToPristine(host: Netns): Promise<void> {
    await teardownMasquerade({ ...ID, netns: host.path });
    expect(await natDumps(host)).toEqual(await pristine());
  }

  interface ReferenceHost {
    host: Netns;
    ref: ReferenceBridge;
    attachment: ReferenceAttachment;
    ips: string[];
  }

  async function referenceAdd(subnets: string[]): Promise<ReferenceHost> {
    const sb = sandbox();
    const host = await sb.host();
    const ref = track(
      new ReferenceBridge(host, {
        name: NETWORK,
        bridge: 'cnkref0',
        subnets,
        ipMasq: true,
      }),
    );
    const attachment = { containerId: CID, ifName: ID.ifName, container: await sb.container() };
    const { ips } = await ref.add(attachment);
    return { host, ref, attachment, ips };
  }

  it.each([
    ['IPv4', ['10.77.0.0/24']],
    ['dual stack', ['10.77.0.0/24', 'fd00:77::/64']],
  ])('%s: setup writes the same nat rules as the reference', async (_label, subnets) => {
    const r = await referenceAdd(subnets);
    const expected = await natDumps(r.host);
    expect(expected.v4).toContain(chainName(NETWORK, CID));
    const fresh = await sandbox().host();
    await setupMasquerade({ ...ID, ips: r.ips, netns: fresh.path });
    expect(await natDumps(fresh)).toEqual(expected);
  });

  it('setup over the reference rules adds nothing, and the reference DEL removes all', async () => {
    const r = await referenceAdd(['10.77.0.0/24', 'fd00:77::/64']);
    const before = await natDumps(r.host);
    await setupMasquerade({ ...ID, ips: r.ips, netns: r.host.path });
    expect(await natDumps(r.host)).toEqual(before);
    await r.ref.del(r.attachment);
    expect(await natDumps(r.host)).toEqual(await pristine());
  });

  it('teardown without addresses removes what the reference wrote', async () => {
    const r = await referenceAdd(['10.77.0.0/24', 'fd00:77::/64']);
    await expectTeardownToPristine(r.host);
  });

  it('removes the chains the reference leaks when the netns is gone at DEL', async () => {
    const r = await referenceAdd(['10.77.0.0/24', 'fd00:77::/64']);
    await deleteNetns(r.attachment.container);
    await r.ref.del(r.attachment);
    const leaked = await natDumps(r.host);
    expect(leaked.v4).toContain(chainName(NETWORK, CID));
    expect(leaked.v6).toContain(chainName(NETWORK, CID));
    await expectTeardownToPristine(r.host);
  });

  it("removes the reference's legacy subnet-source jump too", async () => {
    const r = await referenceAdd(['10.77.0.0/24']);
    const chain = chainName(NETWORK, CID);
    const comment = `name: "${NETWORK}" id: "${CID}"`;
    await mustExecIn(r.host, [
      'iptables',
      '-w',
      '-t',
      'nat',
      '-A',
      'POSTROUTING',
      '-s',
      '10.77.0.0/24',
      '-m',
      'comment',
      '--comment',
      comment,
      '-j',
      chain,
    ]);
    await expectTeardownToPristine(r.host);
  });
});
