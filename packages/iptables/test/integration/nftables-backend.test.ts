/**
 * Root only: the nftables backend in a throwaway namespace. Debian's reference plugins (1.1.1)
 * predate the nftables backend (v1.6.0), so the golden listing follows the newest reference's
 * spec (reference-bridge.md §2.15) and its published hash vectors.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { isRoot, NOT_ROOT_REASON, Sandbox, type Netns } from '@cnikit-tools/test-utils';
import {
  checkMasquerade,
  gcMasquerade,
  nftMasqueradeComment,
  setupMasquerade,
  teardownMasquerade,
} from '../../src/index.ts';
import { linesWith, nftTable } from '../helpers/dumps.ts';
import { fixture } from '../helpers/fixtures.ts';
import { NFT_ATTACHMENTS } from '../helpers/scenario.ts';
import { cleanupAfterEach } from '../helpers/cleanup.ts';

const backend = 'nftables';
const normalize = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');

describe.skipIf(!isRoot)(`nftables backend (${NOT_ROOT_REASON})`, () => {
  const track = cleanupAfterEach();
  let host: Netns;
  beforeEach(async () => {
    host = await track(new Sandbox()).host();
  });

  const table = () => nftTable(host, 'inet', 'cni_plugins_masquerade');
  const setupAll = async () => {
    for (const a of NFT_ATTACHMENTS)
      await setupMasquerade({ ...a, ips: [...a.ips], backend, netns: host.path });
  };

  it('writes the reference table for the upstream scenario (golden listing)', async () => {
    await setupAll();
    expect(normalize(await table())).toBe(normalize(fixture('nft-four-attachments.golden')));
  });

  it('a repeated setup replaces instead of duplicating', async () => {
    await setupAll();
    const before = await table();
    await setupAll();
    expect(await table()).toBe(before);
  });

  it('a reused IP survives the DEL of its former owner', async () => {
    const [one] = NFT_ATTACHMENTS;
    await setupMasquerade({ ...one, ips: [...one.ips], backend, netns: host.path });
    const reuser = { network: 'unit-test', ifName: 'eth0', containerId: 'four' };
    await setupMasquerade({ ...reuser, ips: [...one.ips], backend, netns: host.path });
    await teardownMasquerade({ ...one, netns: host.path });
    const rules = linesWith(await table(), 'masquerade comment');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toContain(nftMasqueradeComment('unit-test', 'eth0', 'four'));
  });

  it('teardown by identity removes only that attachment, and check notices', async () => {
    await setupAll();
    const [, two] = NFT_ATTACHMENTS;
    const checkTwo = () =>
      checkMasquerade({ ...two, ips: [...two.ips], backend, netns: host.path });
    await expect(checkTwo()).resolves.toBeUndefined();
    await teardownMasquerade({ ...two, netns: host.path });
    await expect(checkTwo()).rejects.toMatchObject({ code: 'missing-rules' });
    const text = await table();
    expect(linesWith(text, 'masquerade comment')).toHaveLength(3);
    expect(text).not.toContain(nftMasqueradeComment(two.network, two.ifName, two.containerId));
  });

  it('GC with a valid list, then GC of everything, per network', async () => {
    await setupAll();
    await gcMasquerade({
      network: 'unit-test',
      validAttachments: [{ containerID: 'two', ifname: 'eth0' }],
      netns: host.path,
    });
    let rules = linesWith(await table(), 'masquerade comment');
    expect(rules.map((r) => r.split('id: ')[1])).toEqual(['two"', 'two"', 'three"']);
    expect(rules[2]).toContain('net: alternate');
    await gcMasquerade({ network: 'unit-test', validAttachments: [], netns: host.path });
    rules = linesWith(await table(), 'masquerade comment');
    expect(rules).toHaveLength(1);
    await gcMasquerade({ network: 'alternate', validAttachments: [], netns: host.path });
    expect(linesWith(await table(), 'masquerade comment')).toEqual([]);
    expect(await table()).toContain('goto masq_checks');
  });

  it('20 concurrent setups, then 20 concurrent teardowns', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => i);
    const attach = (i: number) => ({
      network: 'conc',
      containerId: `ctr-${i}`,
      ifName: 'eth0',
      netns: host.path,
    });
    await Promise.all(
      ids.map((i) =>
        setupMasquerade({
          ...attach(i),
          ips: [`10.55.0.${i + 2}/24`, `fd00:55::${i + 2}/64`],
          backend,
        }),
      ),
    );
    const text = await table();
    expect(linesWith(text, 'masquerade comment')).toHaveLength(40);
    expect(linesWith(text, 'goto masq_checks')).toHaveLength(1);
    await Promise.all(ids.map((i) => teardownMasquerade(attach(i))));
    expect(linesWith(await table(), 'masquerade comment')).toEqual([]);
  });
});
