/**
 * Run by `bun` from netlink-batches.test.ts: applies the same batches in two namespaces, through
 * `ip` in the first and over netlink from this process in the second, and prints what each gave
 * as JSON. argv: the two nsfs paths, then the two namespaces the host batch puts veth peers in.
 */
import {
  applyBatch,
  IpBatch,
  listRoutes,
  spawnRunner,
  showLink,
  type QueryHandle,
} from '@cnikit/netops';
import { ipv4AddrLine } from '../../src/plan/ipv4-addr.js';
import { openNetlink } from '../../src/runtime/netns-spawn.js';

const [viaIp, viaNetlink, peersIp, peersNetlink] = process.argv.slice(2);
if (!viaIp || !viaNetlink || !peersIp || !peersNetlink) throw new Error('four netns paths wanted');

/** The bridge plugin's host side: bridge, veth with its peer in another namespace, port. */
function hostBatch(peers: string): {
  batch: IpBatch;
  read?: QueryHandle<unknown>;
  routes?: QueryHandle<unknown>;
} {
  const batch = new IpBatch()
    .bridgeAdd('br0', { mtu: 1400 })
    .bridgeAdd('br0', { mtu: 1400 })
    .linkSet('br0', { promisc: true })
    .linkSet('br0', { up: true })
    .vethAdd({
      name: 'veth1',
      peerName: 'eth0',
      peerNetns: peers,
      mtu: 1400,
      peerMac: '02:00:00:00:00:01',
      txQueueLen: 0,
    })
    .linkSet('veth1', { master: 'br0', up: true })
    .bridgePortSet('veth1', { hairpin: true, isolated: true });
  const read = batch.query(showLink('veth1'));
  return { batch, read };
}

function batches(): Array<{
  batch: IpBatch;
  read?: QueryHandle<unknown>;
  routes?: QueryHandle<unknown>;
}> {
  const setup = new IpBatch()
    .add(ipv4AddrLine('10.1.2.5/24', 'eth0'))
    .add(ipv4AddrLine('10.1.3.4/31', 'eth0'))
    .addrAdd('eth0', 'fd00:1::5/64', { nodad: true, undo: false })
    .linkSet('eth0', { up: true })
    .linkSet('eth0', { mac: '02:aa:bb:cc:dd:ee' })
    .routePrepend({ dst: 'default', via: '10.1.2.1', dev: 'eth0' }, { undo: false })
    .routePrepend({ dst: '10.9.0.0/16', via: '10.1.2.1', dev: 'eth0', metric: 50 }, { undo: false })
    .routeAdd({ dst: '192.168.7.0/24', dev: 'eth0', scope: 'link', mtu: 1400 }, { undo: false })
    .routePrepend({ dst: 'default', via: 'fd00:1::1', dev: 'eth0', table: 1000 }, { undo: false });
  const read = setup.query(showLink('eth0'));
  // Every route of both families and all tables, after the setup's own.
  const routes = setup.query(listRoutes({ table: 'all' }));
  const failing = new IpBatch()
    .addrAdd('eth0', '10.1.2.5/24', { undo: false })
    .linkSet('nope0', { up: true })
    .routeDel({ dst: '10.9.0.0/16', via: '10.1.2.1', dev: 'eth0', metric: 50 });
  const teardown = new IpBatch()
    .addrDel('eth0', '10.1.3.4/31')
    .linkDel('gone0', { tolerate: ['not-found'] })
    .linkSet('eth0', { up: false });
  return [{ batch: setup, read, routes }, { batch: failing }, { batch: teardown }];
}

async function run(netns: string, peers: string, netlink: boolean): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const { batch, read, routes } of [...batches(), hostBatch(peers)]) {
    try {
      const r = await applyBatch(batch, {
        netns,
        runner: spawnRunner,
        onError: 'continue',
        netlink: netlink ? openNetlink : undefined,
      });
      out.push({
        processes: r.processes,
        outcomes: r.outcomes,
        read: read && r.read(read),
        routes: routes && r.read(routes),
      });
    } catch (err) {
      const e = err as { kind: string; outcomes: unknown[] };
      out.push({ kind: e.kind, outcomes: e.outcomes });
    }
  }
  return out;
}

console.log(
  JSON.stringify({
    ip: await run(viaIp, peersIp, false),
    netlink: await run(viaNetlink, peersNetlink, true),
  }),
);
