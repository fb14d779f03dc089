// Parsing of `ip -details -json` output recorded from iproute2 6.1 on this machine (record.sh).
import { describe, expect, it } from 'vitest';
import { listAddrs, listLinks, listRoutes, showLink, showVlans } from '../src/index.js';
import { fixtureDocs } from './helpers/fake-runner.js';

const [br0, port, notBridge, lo] = fixtureDocs('host-links.jsonl');
const [eth0, routes, dadLink] = fixtureDocs('container-reads.jsonl');

describe('links', () => {
  it('reads a bridge: kind, mtu, promisc, vlan_filtering, addresses', () => {
    const link = showLink('br0').parse(br0);
    expect(link).toMatchObject({
      name: 'br0',
      kind: 'bridge',
      mtu: 1400,
      up: true,
      promisc: true,
      operstate: 'UP',
      vlanFiltering: false,
      txqlen: 1000,
      master: undefined,
    });
    expect(link?.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(link?.addresses.map((a) => [a.cidr, a.scope])).toEqual([
      ['10.22.0.1/16', 'global'],
      [expect.stringMatching(/^fe80::/), 'link'],
    ]);
  });

  it('reads a bridge port: master, hairpin, isolated, txqlen 0, peer in another netns', () => {
    const link = showLink('veth1a2b3c4d').parse(port);
    expect(link).toMatchObject({
      kind: 'veth',
      slaveKind: 'bridge',
      master: 'br0',
      hairpin: true,
      isolated: true,
      txqlen: 0,
      mtu: 1400,
      peerNetnsId: 0,
      vlanFiltering: undefined,
    });
    expect(link?.peerIfindex).toBeGreaterThan(0);
  });

  it('reads a veth that is not a bridge, with a tentative address on a down link', () => {
    const link = showLink('notbr0').parse(notBridge);
    expect(link).toMatchObject({ kind: 'veth', operstate: 'DOWN', up: false, hairpin: undefined });
    expect(link?.addresses).toEqual([
      expect.objectContaining({ cidr: 'fd00:33::1/64', tentative: true, dadfailed: false }),
    ]);
  });

  it('reads lo, which has no kind', () => {
    expect(showLink('lo').parse(lo)).toMatchObject({ kind: undefined, name: 'lo', ifindex: 1 });
  });

  it('reads a container end: MAC set at creation, nodad, several families', () => {
    const link = showLink('eth0').parse(eth0);
    expect(link).toMatchObject({ mac: '0a:58:0a:16:00:05', peerNetnsId: 0, operstate: 'UP' });
    expect(link?.addresses.map((a) => [a.family, a.cidr, a.nodad])).toEqual([
      [4, '10.22.0.5/16', false],
      [6, 'fd00:22::5/64', true],
      [6, expect.stringMatching(/^fe80::/), false],
    ]);
  });

  it('reads an address that failed duplicate address detection', () => {
    const addrs = listAddrs('vdad1', { family: 6, scope: 'global' }).parse(dadLink);
    expect(addrs).toEqual([
      expect.objectContaining({ cidr: 'fd00:44::1/64', tentative: true, dadfailed: true }),
    ]);
  });

  it('lists every link of an addr show', () => {
    const all = listLinks().parse([...(br0 as unknown[]), ...(port as unknown[])]);
    expect(all.map((l) => l.name)).toEqual(['br0', 'veth1a2b3c4d']);
  });

  it('refuses output of the wrong shape', () => {
    expect(() => showLink('x').parse({ not: 'an array' })).toThrowError(/unexpected link output/);
  });
});

describe('routes', () => {
  it('filters the main table by default and normalises default routes of both families', () => {
    const main = listRoutes().parse(routes);
    expect(main.every((r) => r.table === 'main')).toBe(true);
    expect(main.filter((r) => r.dst === '0.0.0.0/0')).toEqual([
      expect.objectContaining({ family: 4, gateway: '10.22.0.1', dev: 'eth0', protocol: 'boot' }),
    ]);
    expect(main.filter((r) => r.dst === '::/0')).toEqual([
      expect.objectContaining({ family: 6, gateway: 'fd00:22::1', metric: 1024 }),
    ]);
  });

  it('reads routes added with prepend to one prefix (ECMP) as separate routes', () => {
    const ecmp = listRoutes({ family: 4 })
      .parse(routes)
      .filter((r) => r.dst === '10.50.0.0/16');
    expect(ecmp.map((r) => [r.gateway, r.metric])).toEqual([
      ['10.22.0.3', 5],
      ['10.22.0.2', 5],
    ]);
  });

  it('reads multipath next hops with their weights', () => {
    const [mp] = listRoutes()
      .parse(routes)
      .filter((r) => r.dst === '10.70.0.0/16');
    expect(mp?.gateway).toBeUndefined();
    expect(mp?.nexthops).toEqual([
      { gateway: '10.22.0.2', dev: 'eth0', weight: 1 },
      { gateway: '10.22.0.3', dev: 'eth0', weight: 2 },
    ]);
  });

  it('reads another table with its mtu and advmss metrics', () => {
    expect(listRoutes({ table: 7 }).parse(routes)).toEqual([
      expect.objectContaining({ dst: '10.60.0.0/16', table: '7', mtu: 1300, advmss: 1200 }),
    ]);
  });

  it('gives local-table host routes a full-length prefix and filters families', () => {
    const local = listRoutes({ table: 'local', family: 4 }).parse(routes);
    expect(local.map((r) => r.dst)).toContain('10.22.0.5/32');
    expect(local.every((r) => r.family === 4)).toBe(true);
    const all = listRoutes({ table: 'all' }).parse(routes);
    expect(all.length).toBeGreaterThan(local.length);
  });
});

describe('bridge VLANs', () => {
  it('reads port VLAN entries (iproute2 6.x shape)', () => {
    const ports = showVlans().parse([
      {
        ifname: 'veth0',
        vlans: [
          { vlan: 1, flags: ['PVID', 'Egress Untagged'] },
          { vlan: 200, vlanEnd: 210 },
        ],
      },
    ]);
    expect(ports).toEqual([
      {
        ifname: 'veth0',
        vlans: [
          { vid: 1, vidEnd: undefined, pvid: true, untagged: true },
          { vid: 200, vidEnd: 210, pvid: false, untagged: false },
        ],
      },
    ]);
    expect(showVlans().parse(fixtureDocs('bridge-stdout.jsonl')[0])).toEqual([]);
  });
});
