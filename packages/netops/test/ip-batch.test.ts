import { describe, expect, it } from 'vitest';
import {
  BridgeBatch,
  IpBatch,
  listAddrs,
  listLinks,
  listRoutes,
  showLink,
  showVlans,
} from '../src/index.js';
import { fixture } from './helpers/fake-runner.js';

describe('IpBatch lines', () => {
  it('creates a bridge with mtu and, when asked, vlan_filtering', () => {
    expect(new IpBatch().bridgeAdd('cni0').text()).toBe('link add name cni0 type bridge\n');
    expect(new IpBatch().bridgeAdd('cni0', { mtu: 9000, vlanFiltering: true }).text()).toBe(
      'link add name cni0 mtu 9000 type bridge vlan_filtering 1\n',
    );
  });

  it('tolerates "exists" on bridge creation by default, and nothing else', () => {
    const [line] = new IpBatch().bridgeAdd('cni0').lines;
    expect(line?.tolerate).toEqual(['exists']);
    expect(line?.undo).toBeUndefined();
    expect(new IpBatch().bridgeAdd('cni0', { tolerate: [] }).lines[0]?.tolerate).toEqual([]);
    expect(new IpBatch().bridgeAdd('cni0', { undo: true }).lines[0]?.undo?.words).toEqual([
      'link',
      'del',
      'dev',
      'cni0',
    ]);
  });

  it('creates a veth pair with the peer in another namespace and txqueuelen 0 on both ends', () => {
    const b = new IpBatch().vethAdd({
      name: 'veth1a2b3c4d',
      peerName: 'eth0',
      peerNetns: '/proc/4242/ns/net',
      mtu: 1400,
      peerMac: '0A:58:0A:16:00:05',
      txQueueLen: 0,
    });
    expect(b.text()).toBe(
      'link add name veth1a2b3c4d mtu 1400 txqueuelen 0 type veth peer name eth0 address 0a:58:0a:16:00:05 mtu 1400 txqueuelen 0 netns /proc/4242/ns/net\n',
    );
    expect(b.lines[0]?.undo?.words).toEqual(['link', 'del', 'dev', 'veth1a2b3c4d']);
    expect(b.lines[0]?.undo?.tolerate).toEqual(['not-found']);
  });

  it('creates a veth from inside a container with the peer put into a namespace by PID', () => {
    const b = new IpBatch().vethAdd(
      { name: 'eth0', peerName: 'vethabcdef01', peerNetns: { pid: 77 }, mac: '0a:00:00:00:00:01' },
      { undo: false },
    );
    expect(b.text()).toBe(
      'link add name eth0 address 0a:00:00:00:00:01 type veth peer name vethabcdef01 netns 77\n',
    );
    expect(b.lines[0]?.undo).toBeUndefined();
  });

  it('changes a link in one line, in a fixed order', () => {
    const b = new IpBatch()
      .linkSet('veth0', {
        up: true,
        master: 'cni0',
        mtu: 1500,
        mac: 'AA:BB:CC:00:11:22',
        promisc: false,
      })
      .linkSet('veth0', {
        master: null,
        up: false,
        txQueueLen: 0,
        name: 'veth9',
        netns: '/run/netns/x',
      });
    expect(b.text()).toBe(
      'link set dev veth0 address aa:bb:cc:00:11:22 mtu 1500 promisc off master cni0 up\n' +
        'link set dev veth0 name veth9 txqueuelen 0 nomaster netns /run/netns/x down\n',
    );
    expect(() => new IpBatch().linkSet('veth0', {})).toThrowError(/nothing to change/);
  });

  it('sets bridge-port flags inside the ip batch', () => {
    expect(new IpBatch().bridgePortSet('veth0', { hairpin: true, isolated: false }).text()).toBe(
      'link set dev veth0 type bridge_slave hairpin on isolated off\n',
    );
    expect(() => new IpBatch().bridgePortSet('veth0', {})).toThrowError(/nothing to change/);
  });

  it('adds and deletes addresses in canonical form, with nodad for IPv6 only', () => {
    const b = new IpBatch()
      .addrAdd('eth0', '10.22.0.5/16')
      .addrAdd('eth0', 'FD00:22:0::5/64', { nodad: true })
      .addrDel('cni0', '10.22.0.1/16', { tolerate: ['not-found'] });
    expect(b.text()).toBe(
      'addr add 10.22.0.5/16 dev eth0\naddr add fd00:22::5/64 dev eth0 nodad\naddr del 10.22.0.1/16 dev cni0\n',
    );
    expect(b.lines[1]?.undo?.words).toEqual(['addr', 'del', 'fd00:22::5/64', 'dev', 'eth0']);
    expect(b.lines[2]?.tolerate).toEqual(['not-found']);
    expect(() => new IpBatch().addrAdd('eth0', '10.0.0.1/8', { nodad: true })).toThrowError(
      /nodad is for IPv6/,
    );
    expect(() => new IpBatch().addrAdd('eth0', '10.0.0.1')).toThrowError(/invalid CIDR/);
  });

  it('adds routes with gateway, metric, table, scope, mtu and advmss; prepend for ECMP', () => {
    const b = new IpBatch()
      .routeAdd({ dst: 'default', via: '10.22.0.1', dev: 'eth0' })
      .routeAdd({ dst: 'default', family: 6, dev: 'eth0' })
      .routePrepend({ dst: '10.50.0.5/16', via: '10.22.0.2', dev: 'eth0', metric: 5 })
      .routeAdd({
        dst: '10.60.0.0/16',
        via: '10.22.0.1',
        table: 7,
        scope: 'global',
        mtu: 1300,
        advmss: 1200,
        src: '10.22.0.5',
        onlink: true,
      })
      .routeReplace({ dst: 'fd00::/8', via: 'FD00:22::1', metric: 1024, table: 'main' })
      .routeDel({ dst: '10.50.0.0/16', via: '10.22.0.2', dev: 'eth0', metric: 5, mtu: 1400 });
    expect(b.text()).toBe(
      [
        'route add 0.0.0.0/0 via 10.22.0.1 dev eth0',
        'route add ::/0 dev eth0',
        // Host bits of the destination are cleared (10.50.0.5/16 was given).
        'route prepend 10.50.0.0/16 via 10.22.0.2 dev eth0 metric 5',
        'route add 10.60.0.0/16 via 10.22.0.1 table 7 src 10.22.0.5 scope global mtu 1300 advmss 1200 onlink',
        'route replace fd00::/8 via fd00:22::1 metric 1024 table main',
        'route del 10.50.0.0/16 via 10.22.0.2 dev eth0 metric 5',
        '',
      ].join('\n'),
    );
    expect(b.lines[2]?.undo?.words.join(' ')).toBe(
      'route del 10.50.0.0/16 via 10.22.0.2 dev eth0 metric 5',
    );
    expect(b.lines[4]?.undo).toBeUndefined();
  });

  it('refuses inconsistent routes', () => {
    expect(() => new IpBatch().routeAdd({ dst: 'default', dev: 'eth0' })).toThrowError(/family/);
    expect(() => new IpBatch().routeAdd({ dst: '10.0.0.0/8', via: 'fd00::1' })).toThrowError(
      /not IPv4/,
    );
    expect(() => new IpBatch().routeAdd({ dst: '10.0.0.0/8', family: 6 })).toThrowError(/not IPv6/);
    expect(() => new IpBatch().routeAdd({ dst: '10.0.0.0/8', metric: -1 })).toThrowError(/metric/);
    expect(() => new IpBatch().routeAdd({ dst: '10.0.0.0/8', table: 0 })).toThrowError(/table/);
    expect(() =>
      new IpBatch().routeAdd({ dst: '10.0.0.0/8', scope: 'galaxy' as 'global' }),
    ).toThrowError(/scope/);
    expect(() => new IpBatch().routeAdd({ dst: '10.0.0.0/8', mtu: 20 })).toThrowError(/MTU/);
  });

  it('adds read lines and knows it then needs JSON', () => {
    const b = new IpBatch().linkSet('eth0', { up: true });
    expect(b.hasReads).toBe(false);
    const h = b.query(showLink('eth0'));
    expect(h.index).toBe(1);
    expect(b.hasReads).toBe(true);
    expect(b.lines[1]?.tolerate).toEqual(['not-found']);
    expect(() => b.query(showVlans())).toThrowError(/bridge query cannot go into a ip batch/);
  });

  it('builds the bridge plugin host step exactly (golden file)', () => {
    const b = new IpBatch()
      .bridgeAdd('cni0', { mtu: 1500 })
      .linkSet('cni0', { up: true })
      .vethAdd({
        name: 'veth1a2b3c4d',
        peerName: 'eth0',
        peerNetns: '/proc/4242/ns/net',
        mtu: 1500,
        txQueueLen: 0,
      })
      .linkSet('veth1a2b3c4d', { master: 'cni0' })
      .bridgePortSet('veth1a2b3c4d', { hairpin: false, isolated: false })
      .linkSet('veth1a2b3c4d', { up: true });
    b.query(showLink('cni0'));
    b.query(showLink('veth1a2b3c4d'));
    expect(b.text()).toBe(fixture('golden/host-add.batch'));
  });
});

describe('queries', () => {
  it('read links with addr show, never link show', () => {
    expect(showLink('eth0').words).toEqual(['addr', 'show', 'dev', 'eth0']);
    expect(listLinks({ type: 'bridge', master: 'cni0' }).words).toEqual([
      'addr',
      'show',
      'master',
      'cni0',
      'type',
      'bridge',
    ]);
    expect(listAddrs('eth0').words).toEqual(['addr', 'show', 'dev', 'eth0']);
    expect(() => listLinks({ type: 'bridge up' })).toThrowError(/invalid link type/);
  });

  it('read routes of all tables and families in one line', () => {
    expect(listRoutes().words).toEqual(['route', 'show', 'table', 'all']);
    expect(listRoutes({ dev: 'eth0', table: 7 }).words).toEqual([
      'route',
      'show',
      'table',
      'all',
      'dev',
      'eth0',
    ]);
    expect(showVlans('veth0').words).toEqual(['vlan', 'show', 'dev', 'veth0']);
  });
});

describe('BridgeBatch lines', () => {
  it('adds and removes port VLANs', () => {
    const b = new BridgeBatch()
      .vlanDel('veth0', 1)
      .vlanAdd('veth0', 100, { pvid: true, untagged: true })
      .vlanAdd('veth0', 200);
    expect(b.text()).toBe(
      'vlan del dev veth0 vid 1 master\nvlan add dev veth0 vid 100 pvid untagged master\nvlan add dev veth0 vid 200 master\n',
    );
    expect(b.lines[1]?.undo?.words.join(' ')).toBe('vlan del dev veth0 vid 100 master');
    expect(() => new BridgeBatch().vlanAdd('veth0', 4095)).toThrowError(/VLAN id/);
    expect(() => new BridgeBatch().vlanAdd('veth0', 0)).toThrowError(/VLAN id/);
  });
});
