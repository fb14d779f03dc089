// Real bridges and veths, in throwaway namespaces only (Sandbox), as root.
import { execIn, isRoot, NOT_ROOT_REASON, Sandbox } from '@cnikit-tools/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyBatch,
  BridgeBatch,
  ensureBridge,
  IpBatch,
  isNetopsError,
  listLinks,
  NetopsError,
  openNetns,
  ownNetnsPath,
  queryBatch,
  showLink,
  showVlans,
  spawnRunner,
  waitForOperstate,
} from '../../src/index.js';
import { startSleeper, type Sleeper } from '../helpers/sleeper.js';

describe.skipIf(!isRoot)(`links in throwaway namespaces (${NOT_ROOT_REASON})`, () => {
  let sandbox: Sandbox;
  const sleepers: Sleeper[] = [];

  beforeEach(() => {
    sandbox = new Sandbox();
  });
  afterEach(async () => {
    for (const s of sleepers.splice(0)) s.stop();
    await sandbox.cleanup();
  });

  async function sleeperIn(ns: Awaited<ReturnType<Sandbox['host']>>): Promise<Sleeper> {
    const s = await startSleeper(ns);
    sleepers.push(s);
    return s;
  }

  it('ensureBridge creates a bridge once (kernel default txqueuelen), then finds it', async () => {
    const host = await sandbox.host();
    const first = await ensureBridge({ name: 'br0', mtu: 1400 }, { netns: host.path });
    expect(first.created).toBe(true);
    expect(first.link).toMatchObject({
      kind: 'bridge',
      mtu: 1400,
      txqlen: 1000,
      up: true,
      vlanFiltering: false,
    });
    const again = await ensureBridge(
      { name: 'br0', mtu: 9000, promisc: true },
      { netns: host.path, runner: spawnRunner },
    );
    expect(again.created).toBe(false);
    expect(again.link.ifindex).toBe(first.link.ifindex);
    // An existing bridge keeps its MTU; promisc is turned on.
    expect(again.link).toMatchObject({ mtu: 1400, promisc: true });
  });

  it('ensureBridge refuses a name taken by a link that is not a bridge', async () => {
    const host = await sandbox.host();
    await applyBatch(new IpBatch().vethAdd({ name: 'notbr0', peerName: 'notbr0p' }), {
      netns: host.path,
    });
    const err: unknown = await ensureBridge({ name: 'notbr0' }, { netns: host.path }).catch(
      (e: unknown) => e,
    );
    expect(isNetopsError(err, 'exists')).toBe(true);
    expect((err as Error).message).toBe('"notbr0" already exists but is not a bridge');
  });

  it('vlan_filtering: a filtering bridge, or not-supported on kernels without it', async () => {
    const host = await sandbox.host();
    try {
      const { link } = await ensureBridge(
        { name: 'brv', vlanFiltering: true },
        { netns: host.path },
      );
      expect(link.vlanFiltering).toBe(true);
    } catch (err) {
      expect(err).toBeInstanceOf(NetopsError);
      expect(err).toMatchObject({ kind: 'not-supported', line: 1 });
    }
  });

  it('creates a veth from the host with its peer in a container given as /proc/PID/ns/net', async () => {
    const host = await sandbox.host();
    const container = await sleeperIn(await sandbox.container());
    await ensureBridge({ name: 'br0' }, { netns: host.path });
    const b = new IpBatch()
      .vethAdd({
        name: 'veth1a2b3c4d',
        peerName: 'eth0',
        peerNetns: container.path,
        mtu: 1400,
        peerMac: '0a:58:0a:16:00:05',
        txQueueLen: 0,
      })
      .linkSet('veth1a2b3c4d', { master: 'br0' })
      .bridgePortSet('veth1a2b3c4d', { hairpin: true, isolated: true })
      .linkSet('veth1a2b3c4d', { up: true });
    const hostRead = b.query(showLink('veth1a2b3c4d'));
    const r = await applyBatch(b, { netns: host.path });
    expect(r.processes).toBe(1);
    const hostEnd = r.read(hostRead);
    expect(hostEnd).toMatchObject({
      kind: 'veth',
      master: 'br0',
      slaveKind: 'bridge',
      hairpin: true,
      isolated: true,
      txqlen: 0,
      mtu: 1400,
    });

    const up = new IpBatch().linkSet('eth0', { up: true });
    const eth0Read = up.query(showLink('eth0'));
    const eth0 = (await applyBatch(up, { netns: container.path, runner: spawnRunner })).read(
      eth0Read,
    );
    expect(eth0).toMatchObject({ kind: 'veth', mac: '0a:58:0a:16:00:05', txqlen: 0, mtu: 1400 });
    // Each end names the other's ifindex; the peer lives in another namespace.
    expect(eth0?.peerIfindex).toBe(hostEnd?.ifindex);
    expect(hostEnd?.peerIfindex).toBe(eth0?.ifindex);
    expect(hostEnd?.peerNetnsId).toBeDefined();

    const port = await waitForOperstate('veth1a2b3c4d', { netns: host.path });
    expect(port.operstate).toBe('UP');
  });

  it('creates a veth from inside the container with the peer put into the host (the reference way)', async () => {
    const host = await sandbox.host();
    const hostProc = await sleeperIn(host);
    const container = await sandbox.container();
    // By PID of a process living in the host namespace, and by that process's /proc path.
    const b = new IpBatch()
      .vethAdd({
        name: 'eth0',
        peerName: 'vethaaaa0001',
        peerNetns: { pid: hostProc.pid },
        txQueueLen: 0,
      })
      .vethAdd({ name: 'eth1', peerName: 'vethaaaa0002', peerNetns: ownNetnsPath(hostProc.pid) });
    await applyBatch(b, { netns: container.path });
    const [inHost, inContainer] = await Promise.all([
      queryBatch([listLinks({ type: 'veth' })], { netns: host.path }),
      queryBatch([listLinks({ type: 'veth' })], { netns: container.path }),
    ]);
    expect(inHost[0].map((l) => [l.name, l.txqlen]).sort()).toEqual([
      ['vethaaaa0001', 0],
      ['vethaaaa0002', 1000],
    ]);
    expect(inContainer[0].map((l) => [l.name, l.txqlen]).sort()).toEqual([
      ['eth0', 0],
      ['eth1', 1000],
    ]);
  });

  it('reports a missing link as not-found, and tolerates it when asked', async () => {
    const host = await sandbox.host();
    const err: unknown = await applyBatch(new IpBatch().linkDel('nope0'), {
      netns: host.path,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'not-found', line: 1, lineText: 'link del dev nope0' });
    expect((err as NetopsError).stderr).toContain('Cannot find device "nope0"');
    const r = await applyBatch(new IpBatch().linkDel('nope0', { tolerate: ['not-found'] }), {
      netns: host.path,
    });
    expect(r.outcomes[0]).toMatchObject({ status: 'tolerated', kind: 'not-found' });
  });

  it('opens namespaces by path, and reports one that is gone as not-found', async () => {
    const c = await sandbox.container();
    const proc = await sleeperIn(c);
    const [byName, byProc] = await Promise.all([openNetns(c.path), openNetns(proc.path)]);
    expect(byProc.ino).toBe(byName.ino);
    await sandbox.cleanup();
    await expect(openNetns(c.path)).rejects.toMatchObject({ kind: 'not-found', stage: 'netns' });
    await expect(applyBatch(new IpBatch().linkDel('x'), { netns: c.path })).rejects.toMatchObject({
      kind: 'not-found',
      stage: 'netns',
    });
  });

  it('bridge VLANs: applied with one `bridge -batch`, or not-supported without VLAN filtering', async () => {
    const host = await sandbox.host();
    await ensureBridge({ name: 'br0' }, { netns: host.path });
    await applyBatch(
      new IpBatch()
        .vethAdd({ name: 'veth0', peerName: 'veth0p' })
        .linkSet('veth0', { master: 'br0' }),
      { netns: host.path },
    );
    const b = new BridgeBatch().vlanAdd('veth0', 100, { pvid: true, untagged: true });
    const read = b.query(showVlans('veth0'));
    try {
      const r = await applyBatch(b, { netns: host.path });
      expect(r.read(read)[0]?.vlans).toContainEqual({
        vid: 100,
        vidEnd: undefined,
        pvid: true,
        untagged: true,
      });
    } catch (err) {
      expect(err).toMatchObject({ kind: 'not-supported', line: 1, netns: host.path });
      expect((err as NetopsError).argv?.slice(-4)).toEqual(['bridge', '-json', '-batch', '-']);
      const out = await execIn(host, ['bridge', '-json', 'vlan', 'show', 'dev', 'veth0']);
      expect(out.stdout).not.toContain('"vlan":100');
    }
  });
});
