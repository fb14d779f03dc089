/** Root only: the iptables backend in a throwaway namespace. */
import { beforeEach, describe, expect, it } from 'vitest';
import { isRoot, mustExecIn, NOT_ROOT_REASON, Sandbox, type Netns } from '@cnikit-tools/test-utils';
import {
  chainName,
  checkMasquerade,
  gcMasquerade,
  isNetfilterError,
  setupMasquerade,
  teardownMasquerade,
} from '../../src/index.ts';
import { countingRunner } from '../helpers/counting-runner.ts';
import { linesWith, natDumps } from '../helpers/dumps.ts';
import { cleanupAfterEach } from '../helpers/cleanup.ts';

const NETWORK = 'ipt-net';
const backend = 'iptables';
const ipsOf = (i: number) => [`10.66.${i >> 8}.${(i & 0xff) + 2}/16`, `fd00:66::${i + 2}/64`];

describe.skipIf(!isRoot)(`iptables backend (${NOT_ROOT_REASON})`, () => {
  const track = cleanupAfterEach();
  let host: Netns;
  beforeEach(async () => {
    host = await track(new Sandbox()).host();
  });

  const attach = (i: number) => ({
    network: NETWORK,
    containerId: `ctr-${i}`,
    ifName: 'eth0',
    ips: ipsOf(i),
    backend,
    netns: host.path,
  });

  it('a new attachment costs one restore per family; a repeated setup changes nothing', async () => {
    const fresh = countingRunner();
    await setupMasquerade({ ...attach(1), runner: fresh.runner });
    expect(fresh.commands.sort()).toEqual([
      'ip6tables-restore --noflush --wait',
      'iptables-restore --noflush --wait',
    ]);
    const first = await natDumps(host);
    const counting = countingRunner();
    await setupMasquerade({ ...attach(1), runner: counting.runner });
    expect(await natDumps(host)).toEqual(first);
    // Each family's blind write (its chain created with -N) is refused whole; then it reads.
    const restores = counting.commands.flatMap((c, i) =>
      c.includes('restore') ? [counting.exitCodes[i]] : [],
    );
    expect(restores).toHaveLength(2);
    expect(restores.every((code) => code !== 0)).toBe(true);
    expect(linesWith(first.v4, '-A POSTROUTING')).toHaveLength(1);
    expect(linesWith(first.v6, '-A POSTROUTING')).toHaveLength(1);
  });

  it('teardown with unknown addresses removes only that container', async () => {
    const before = await natDumps(host);
    await setupMasquerade(attach(1));
    const withOne = await natDumps(host);
    await setupMasquerade(attach(2));
    const counting = countingRunner();
    await teardownMasquerade({
      network: NETWORK,
      containerId: 'ctr-2',
      ifName: 'eth0',
      netns: host.path,
      runner: counting.runner,
    });
    expect(await natDumps(host)).toEqual(withOne);
    // 2 saves + 1 nft read, and one restore per family.
    expect(counting.commands.filter((c) => c.includes('restore'))).toHaveLength(2);
    await teardownMasquerade({
      network: NETWORK,
      containerId: 'ctr-1',
      ifName: 'eth0',
      netns: host.path,
    });
    expect(await natDumps(host)).toEqual(before);
  });

  it('teardown with known addresses needs no read when the rules are as setup wrote them', async () => {
    const before = await natDumps(host);
    await setupMasquerade(attach(5));
    const counting = countingRunner();
    await teardownMasquerade({ ...attach(5), runner: counting.runner });
    expect(await natDumps(host)).toEqual(before);
    expect(counting.commands.filter((c) => c.includes('tables-save'))).toEqual([]);
    expect(counting.commands.filter((c) => c.includes('tables-restore'))).toHaveLength(2);
  });

  it('teardown with known addresses falls back to a read when an extra rule jumps to the chain', async () => {
    const before = await natDumps(host);
    await setupMasquerade(attach(6));
    // The reference's legacy form: a jump from the whole subnet, which the blind delete misses.
    const chain = chainName(NETWORK, 'ctr-6');
    await mustExecIn(host, [
      'iptables',
      '-t',
      'nat',
      '-A',
      'POSTROUTING',
      '-s',
      '10.66.0.0/16',
      '-j',
      chain,
    ]);
    const counting = countingRunner();
    await teardownMasquerade({ ...attach(6), runner: counting.runner });
    expect(await natDumps(host)).toEqual(before);
    expect(counting.commands.filter((c) => c.startsWith('iptables-save'))).toHaveLength(1);
  });

  it('check passes after setup and names missing rules after teardown', async () => {
    await setupMasquerade(attach(3));
    await expect(checkMasquerade(attach(3))).resolves.toBeUndefined();
    await teardownMasquerade(attach(3));
    const err: unknown = await checkMasquerade(attach(3)).catch((e: unknown) => e);
    expect(isNetfilterError(err) && err.message).toContain('missing masquerade rules');
  });

  it('GC keeps the valid containers and removes the stale ones of this network only', async () => {
    await Promise.all([1, 2, 3].map((i) => setupMasquerade(attach(i))));
    await setupMasquerade({ ...attach(4), network: 'other-net' });
    await gcMasquerade({
      network: NETWORK,
      validAttachments: [{ containerID: 'ctr-2', ifname: 'eth0' }],
      netns: host.path,
    });
    const { v4, v6 } = await natDumps(host);
    for (const dump of [v4, v6]) {
      expect(dump).toContain(`:${chainName(NETWORK, 'ctr-2')}`);
      expect(dump).toContain(`:${chainName('other-net', 'ctr-4')}`);
      expect(dump).not.toContain(chainName(NETWORK, 'ctr-1'));
      expect(dump).not.toContain(chainName(NETWORK, 'ctr-3'));
    }
  });

  it('20 concurrent setups, then 20 concurrent teardowns', async () => {
    const before = await natDumps(host);
    const ids = Array.from({ length: 20 }, (_, i) => i);
    await Promise.all(ids.map((i) => setupMasquerade(attach(i))));
    const { v4, v6 } = await natDumps(host);
    for (const dump of [v4, v6]) {
      expect(linesWith(dump, '-A POSTROUTING')).toHaveLength(20);
      for (const i of ids)
        expect(linesWith(dump, `-A ${chainName(NETWORK, `ctr-${i}`)} `)).toHaveLength(2);
    }
    await Promise.all(
      ids.map((i) =>
        teardownMasquerade({
          network: NETWORK,
          containerId: `ctr-${i}`,
          ifName: 'eth0',
          netns: host.path,
        }),
      ),
    );
    expect(await natDumps(host)).toEqual(before);
  });
});
