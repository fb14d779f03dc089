/**
 * The netlink executor: which lines it takes, the requests it sends for them (fields as iproute2
 * sets them), and the outcomes and values it gives, against a scripted kernel. The same batches
 * against the real kernel run in the bridge plugin's tests (the executable has the sockets).
 */
import { describe, expect, it } from 'vitest';
import {
  applyBatch,
  IpBatch,
  isNetopsError,
  showLink,
  type CommandRunner,
  type NetlinkOpener,
} from '../src/index.js';
import { makeLine } from '../src/batch/line.js';
import { opOfLine, opsOfLines } from '../src/netlink/ops.js';
import { ipBytes } from '../src/netlink/requests.js';
import { parseIp } from '../src/ip-address.js';
import { parseAttrs } from '../src/netlink/wire.js';
import { FakeKernel } from './helpers/fake-netlink.js';

const noProcess: CommandRunner = () => Promise.reject(new Error('a process was started'));
const opener =
  (kernel: FakeKernel): NetlinkOpener =>
  () =>
    Promise.resolve(kernel.connection());

function containerKernel(): FakeKernel {
  const k = new FakeKernel();
  k.addLink({
    index: 1,
    name: 'lo',
    flags: 0x9,
    mtu: 65536,
    operstate: 0,
    mac: [0, 0, 0, 0, 0, 0],
  });
  k.addLink({
    index: 7,
    name: 'eth0',
    flags: 0x1002,
    mtu: 1500,
    operstate: 2,
    mac: [0x02, 0, 0, 0, 0, 0x0d],
    kind: 'veth',
  });
  return k;
}

describe('which lines go over netlink', () => {
  it('takes the lines netops writes for the container side and for deleting a link', () => {
    const b = new IpBatch()
      .add(makeLine(['addr', 'add', '10.1.2.5/24', 'brd', '+', 'dev', 'eth0']))
      .addrAdd('eth0', 'fd00::5/64', { nodad: true })
      .linkSet('eth0', { up: true })
      .routePrepend({ dst: 'default', via: '10.1.2.1', dev: 'eth0', metric: 100, table: 1000 })
      .routeAdd({ dst: '10.9.0.0/16', dev: 'eth0', scope: 'link', mtu: 1400, onlink: true })
      .addrDel('eth0', '10.1.2.5/24')
      .linkDel('eth0');
    b.query(showLink('eth0'));
    const ops = opsOfLines(b.lines);
    expect(ops?.map((o) => o.op)).toEqual([
      'addr-add',
      'addr-add',
      'link-set',
      'route',
      'route',
      'addr-del',
      'link-del',
      'show-link',
    ]);
    expect(ops?.[0]).toMatchObject({ broadcast: true, nodad: false, dev: 'eth0' });
    expect(ops?.[1]).toMatchObject({ broadcast: false, nodad: true });
    expect(ops?.[3]).toMatchObject({
      verb: 'prepend',
      route: { metric: 100, table: 1000, dev: 'eth0', onlink: false },
    });
    expect(ops?.[4]).toMatchObject({ route: { scope: 253, mtu: 1400, onlink: true } });
  });

  it.each([
    [['link', 'add', 'name', 'd0', 'type', 'dummy']],
    [['link', 'add', 'name', 'br0', 'up', 'type', 'bridge']],
    [['link', 'add', 'name', 'br0', 'type', 'bridge', 'stp_state', '1']],
    [['link', 'set', 'dev', 'eth0', 'netns', '/run/netns/x']],
    [['link', 'add', 'name', 'v0', 'type', 'veth', 'peer', 'name', 'p0', 'netns', 'named']],
    [['link', 'set', 'dev', 'eth0', 'type', 'bridge_slave', 'learning', 'off']],
    [['addr', 'add', '10.1.2.5/24', 'dev', 'eth0', 'label', 'eth0:1']],
    [['route', 'add', '10.0.0.0/8', 'proto', 'static']],
    [['route', 'show']],
  ])('leaves %j to ip', (words) => {
    expect(opOfLine(makeLine(words))).toBeUndefined();
  });

  it('takes the host side: bridge, veth into a namespace, master, port flags', () => {
    const b = new IpBatch()
      .bridgeAdd('br0', { mtu: 1400, vlanFiltering: true })
      .linkSet('br0', { promisc: true })
      .vethAdd({
        name: 'veth1',
        peerName: 'eth0',
        peerNetns: '/run/netns/c1',
        mtu: 1400,
        peerMac: '02:00:00:00:00:01',
        txQueueLen: 0,
      })
      .vethAdd({ name: 'veth2', peerName: 'eth0', peerNetns: { pid: 42 } })
      .linkSet('veth1', { master: 'br0', up: true })
      .bridgePortSet('veth1', { hairpin: true, isolated: false });
    expect(opsOfLines(b.lines)).toEqual([
      { op: 'bridge-add', name: 'br0', attrs: { mtu: 1400 }, vlanFiltering: true },
      { op: 'link-set', dev: 'br0', attrs: { promisc: true } },
      {
        op: 'veth-add',
        name: 'veth1',
        attrs: { mtu: 1400, txqlen: 0 },
        peer: 'eth0',
        peerAttrs: { mac: Uint8Array.of(2, 0, 0, 0, 0, 1), mtu: 1400, txqlen: 0 },
        peerNetns: { path: '/run/netns/c1' },
      },
      {
        op: 'veth-add',
        name: 'veth2',
        attrs: {},
        peer: 'eth0',
        peerAttrs: {},
        peerNetns: { pid: 42 },
      },
      { op: 'link-set', dev: 'veth1', attrs: { master: 'br0', up: true } },
      { op: 'bridge-port', dev: 'veth1', hairpin: true, isolated: false },
    ]);
  });

  it('sends a batch with any such line to ip, whole', async () => {
    const kernel = containerKernel();
    const calls: string[] = [];
    const runner: CommandRunner = (argv, options) => {
      calls.push(options?.input ?? '');
      return Promise.resolve({ argv, exitCode: 0, stdout: '', stderr: '' });
    };
    const b = new IpBatch()
      .linkSet('eth0', { up: true })
      .linkSet('eth0', { netns: '/run/netns/x' });
    const result = await applyBatch(b, { runner, netlink: opener(kernel) });
    expect(result.processes).toBe(1);
    expect(calls).toEqual(['link set dev eth0 up\nlink set dev eth0 netns /run/netns/x\n']);
    expect(kernel.seen).toEqual([]);
  });
});

describe('the requests', () => {
  it('adds an IPv4 address with its broadcast, as `brd +` does', async () => {
    const kernel = containerKernel();
    const b = new IpBatch().add(
      makeLine(['addr', 'add', '10.1.2.5/24', 'brd', '+', 'dev', 'eth0']),
    );
    const result = await applyBatch(b, { runner: noProcess, netlink: opener(kernel) });
    expect(result.processes).toBe(0);
    const add = kernel.seen.find((r) => r.type === 20);
    expect(add?.flags).toBe(0x1 | 0x4 | 0x400 | 0x200);
    expect([...(add?.body ?? [])]).toEqual([2, 24, 0, 0, 7, 0, 0, 0]);
    expect([...(add?.attrs.get(2) ?? [])]).toEqual([10, 1, 2, 5]);
    expect([...(add?.attrs.get(1) ?? [])]).toEqual([10, 1, 2, 5]);
    expect([...(add?.attrs.get(4) ?? [])]).toEqual([10, 1, 2, 255]);
  });

  it('sets no broadcast on a /31 and marks nodad IPv6 addresses', async () => {
    const kernel = containerKernel();
    const b = new IpBatch()
      .add(makeLine(['addr', 'add', '10.1.2.4/31', 'brd', '+', 'dev', 'eth0']))
      .addrAdd('eth0', 'fe80::5/64', { nodad: true });
    await applyBatch(b, { runner: noProcess, netlink: opener(kernel) });
    const [v4, v6] = kernel.seen.filter((r) => r.type === 20);
    expect(v4?.attrs.has(4)).toBe(false);
    // nodad flag, link scope for link-local.
    expect([...(v6?.body ?? [])].slice(0, 4)).toEqual([10, 64, 0x02, 253]);
  });

  it('sends routes with iproute2 defaults: boot protocol, link scope without a gateway', async () => {
    const kernel = containerKernel();
    const b = new IpBatch()
      .routePrepend({ dst: 'default', via: '10.1.2.1', dev: 'eth0' })
      .routeAdd({ dst: '10.9.0.0/16', dev: 'eth0', metric: 5, table: 300 });
    await applyBatch(b, { runner: noProcess, netlink: opener(kernel) });
    const [viaGw, direct] = kernel.seen.filter((r) => r.type === 24);
    // family, dst_len, src_len, tos, table, protocol, scope, type
    expect([...(viaGw?.body ?? [])].slice(0, 8)).toEqual([2, 0, 0, 0, 254, 3, 0, 1]);
    expect(viaGw?.flags).toBe(0x1 | 0x4 | 0x400);
    expect(viaGw?.attrs.has(1)).toBe(false);
    expect([...(viaGw?.attrs.get(5) ?? [])]).toEqual([10, 1, 2, 1]);
    expect([...(direct?.body ?? [])].slice(0, 8)).toEqual([2, 16, 0, 0, 0, 3, 253, 1]);
    expect(direct?.flags).toBe(0x1 | 0x4 | 0x400 | 0x200);
    expect([...(direct?.attrs.get(1) ?? [])]).toEqual([10, 9, 0, 0]);
    const u32 = (b?: Uint8Array) =>
      b ? new DataView(b.buffer, b.byteOffset).getUint32(0, true) : -1;
    expect(u32(direct?.attrs.get(15))).toBe(300);
    expect(u32(direct?.attrs.get(6))).toBe(5);
    expect(u32(direct?.attrs.get(4))).toBe(7);
  });

  it('sets a MAC (the bridge pin) with IFLA_ADDRESS, leaving the flags alone', async () => {
    const kernel = containerKernel();
    const b = new IpBatch().linkSet('eth0', { mac: '02:aa:bb:cc:dd:ee' });
    await applyBatch(b, { runner: noProcess, netlink: opener(kernel) });
    const set = kernel.seen.find((r) => r.type === 16);
    expect([...(set?.body ?? [])].slice(4, 16)).toEqual([7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(kernel.links.get('eth0')?.mac).toEqual([0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]);
  });

  it('creates a bridge with its kind and VLAN filtering nested in IFLA_LINKINFO', async () => {
    const kernel = containerKernel();
    await applyBatch(new IpBatch().bridgeAdd('br0', { mtu: 1400, vlanFiltering: true }), {
      runner: noProcess,
      netlink: opener(kernel),
    });
    const add = kernel.seen.find((r) => r.type === 16);
    expect(add?.flags).toBe(0x1 | 0x4 | 0x400 | 0x200);
    expect(new TextDecoder().decode(add?.attrs.get(3))).toBe('br0\0');
    const info = parseAttrs(add?.attrs.get(18) ?? new Uint8Array());
    expect(new TextDecoder().decode(info.get(1))).toBe('bridge\0');
    expect([...(parseAttrs(info.get(2) ?? new Uint8Array()).get(7) ?? [])]).toEqual([1]);
  });

  it('creates the veth peer in the namespace file the connection opens, then closes it', async () => {
    const kernel = containerKernel();
    const opened: string[] = [];
    const netlink: NetlinkOpener = () =>
      Promise.resolve({
        ...kernel.connection(),
        openNetns: (path: string) => {
          opened.push(path);
          return 99;
        },
      });
    const b = new IpBatch().vethAdd({
      name: 'veth1',
      peerName: 'eth0',
      peerNetns: '/run/netns/c1',
      peerMac: '02:00:00:00:00:01',
      txQueueLen: 0,
    });
    const result = await applyBatch(b, { runner: noProcess, netlink });
    expect(result.processes).toBe(0);
    expect(opened).toEqual(['/run/netns/c1']);
    const add = kernel.seen.find((r) => r.type === 16);
    const info = parseAttrs(add?.attrs.get(18) ?? new Uint8Array());
    expect(new TextDecoder().decode(info.get(1))).toBe('veth\0');
    const peer = parseAttrs(info.get(2) ?? new Uint8Array()).get(1) ?? new Uint8Array();
    // VETH_INFO_PEER: an ifinfomsg, then the peer's own attributes.
    const peerAttrs = parseAttrs(peer, 16);
    expect(new TextDecoder().decode(peerAttrs.get(3))).toBe('eth0\0');
    expect([...(peerAttrs.get(1) ?? [])]).toEqual([2, 0, 0, 0, 0, 1]);
    expect([...(peerAttrs.get(13) ?? [])]).toEqual([0, 0, 0, 0]);
    expect([...(peerAttrs.get(28) ?? [])]).toEqual([99, 0, 0, 0]);
    expect([...(add?.attrs.get(13) ?? [])]).toEqual([0, 0, 0, 0]);
  });

  it('sends a veth into a namespace file through ip when the connection cannot open files', async () => {
    const kernel = containerKernel();
    let ran = 0;
    const runner: CommandRunner = (argv) => {
      ran += 1;
      return Promise.resolve({ argv, exitCode: 0, stdout: '', stderr: '' });
    };
    const b = new IpBatch().vethAdd({ name: 'v1', peerName: 'eth0', peerNetns: '/run/netns/c1' });
    await applyBatch(b, { runner, netlink: opener(kernel) });
    expect(ran).toBe(1);
    expect(kernel.closed).toBe(1);
  });

  it('enslaves by the master index and sets port flags as bridge_slave data', async () => {
    const kernel = containerKernel();
    kernel.addLink({
      index: 3,
      name: 'br0',
      flags: 0,
      mtu: 1500,
      operstate: 2,
      mac: [2, 0, 0, 0, 0, 3],
    });
    const b = new IpBatch()
      .linkSet('eth0', { master: 'br0', up: true })
      .linkSet('br0', { promisc: true })
      .bridgePortSet('eth0', { hairpin: true, isolated: false });
    await applyBatch(b, { runner: noProcess, netlink: opener(kernel) });
    const [master, promisc, port] = kernel.seen.filter((r) => r.type === 16);
    const u32 = (b?: Uint8Array) =>
      b ? new DataView(b.buffer, b.byteOffset).getUint32(0, true) : -1;
    expect(u32(master?.attrs.get(10))).toBe(3);
    expect([...(master?.body ?? [])].slice(8, 16)).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
    expect([...(promisc?.body ?? [])].slice(4, 16)).toEqual([3, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
    const info = parseAttrs(port?.attrs.get(18) ?? new Uint8Array());
    expect(new TextDecoder().decode(info.get(4))).toBe('bridge\0');
    const data = parseAttrs(info.get(5) ?? new Uint8Array());
    expect([...(data.get(4) ?? [])]).toEqual([1]);
    expect([...(data.get(33) ?? [])]).toEqual([0]);
  });

  it('writes addresses in network order', () => {
    expect([...ipBytes(parseIp('fd00::1:2'))]).toEqual([
      0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2,
    ]);
  });
});

describe('outcomes and values', () => {
  it('reads a link with its addresses into the same LinkInfo as `ip -json` would give', async () => {
    const kernel = containerKernel();
    kernel.addrs.push({ index: 7, family: 2, prefixLength: 24, bytes: [10, 1, 2, 5], flags: 0 });
    kernel.addrs.push({ index: 1, family: 2, prefixLength: 8, bytes: [127, 0, 0, 1], flags: 0 });
    const b = new IpBatch().linkSet('eth0', { up: true });
    const read = b.query(showLink('eth0'));
    const result = await applyBatch(b, { runner: noProcess, netlink: opener(kernel) });
    expect(result.read(read)).toMatchObject({
      ifindex: 7,
      name: 'eth0',
      kind: 'veth',
      mtu: 1500,
      mac: '02:00:00:00:00:0d',
      up: true,
      flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'],
      addresses: [{ cidr: '10.1.2.5/24', family: 4, scope: 'global' }],
    });
    expect(kernel.closed).toBe(1);
  });

  it('answers a missing link with the read value for "missing"', async () => {
    const kernel = containerKernel();
    const b = new IpBatch();
    const read = b.query(showLink('nope0'));
    const result = await applyBatch(b, { runner: noProcess, netlink: opener(kernel) });
    expect(result.read(read)).toBeUndefined();
    expect(result.outcomes[0]).toMatchObject({ status: 'tolerated', kind: 'not-found' });
  });

  it('tolerates what the line tolerates and words failures as iproute2 does', async () => {
    const kernel = containerKernel();
    kernel.addrs.push({ index: 7, family: 2, prefixLength: 24, bytes: [10, 1, 2, 5], flags: 0 });
    const b = new IpBatch()
      .linkDel('gone0', { tolerate: ['not-found'] })
      .addrAdd('eth0', '10.1.2.5/24')
      .linkSet('eth0', { up: true });
    const err: unknown = await applyBatch(b, {
      runner: noProcess,
      netlink: opener(kernel),
      onError: 'stop',
    }).catch((e: unknown) => e);
    expect(isNetopsError(err)).toBe(true);
    const e = err as { message: string; kind: string; outcomes: Array<{ status: string }> };
    expect(e.message).toBe(
      'ip batch line 2 "addr add 10.1.2.5/24 dev eth0": RTNETLINK answers: File exists',
    );
    expect(e.kind).toBe('exists');
    expect(e.outcomes.map((o) => o.status)).toEqual(['tolerated', 'failed', 'skipped']);
  });

  it('runs every line with onError continue, and names a missing device as ip does', async () => {
    const kernel = containerKernel();
    const b = new IpBatch().linkSet('nope0', { up: true }).linkSet('eth0', { up: true });
    const err: unknown = await applyBatch(b, {
      runner: noProcess,
      netlink: opener(kernel),
      onError: 'continue',
    }).catch((e: unknown) => e);
    const e = err as { message: string; kind: string; outcomes: Array<{ status: string }> };
    expect(e.message).toContain('Cannot find device "nope0"');
    expect(e.kind).toBe('not-found');
    expect(e.outcomes.map((o) => o.status)).toEqual(['failed', 'ok']);
    expect((kernel.links.get('eth0')?.flags ?? 0) & 0x1).toBe(1);
  });

  it('journals what ran and leaves the rest unknown when the socket breaks', async () => {
    const kernel = containerKernel();
    kernel.breakAt = 2;
    const b = new IpBatch()
      .addrAdd('eth0', '10.1.2.5/24')
      .addrAdd('eth0', '10.1.2.6/24')
      .linkSet('eth0', { up: true });
    const err: unknown = await applyBatch(b, { runner: noProcess, netlink: opener(kernel) }).catch(
      (e: unknown) => e,
    );
    const e = err as { message: string; outcomes: Array<{ status: string }> };
    expect(e.message).toBe('netlink: socket broke');
    expect(e.outcomes.map((o) => o.status)).toEqual(['ok', 'unknown', 'skipped']);
    expect(kernel.closed).toBe(1);
  });

  it('uses ip when the runtime cannot open a socket', async () => {
    let ran = 0;
    const runner: CommandRunner = (argv) => {
      ran += 1;
      return Promise.resolve({ argv, exitCode: 0, stdout: '', stderr: '' });
    };
    await applyBatch(new IpBatch().linkDel('eth0'), {
      runner,
      netlink: () => Promise.resolve(undefined),
    });
    expect(ran).toBe(1);
  });
});
