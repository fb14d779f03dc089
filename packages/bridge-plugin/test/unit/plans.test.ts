import { readFileSync } from 'node:fs';
import { planInterface } from '@cnikit/ipam-client';
import type { AddrInfo } from '@cnikit/netops';
import { describe, expect, it } from 'vitest';
import { bridgeAddrBatch } from '../../src/plan/bridge-addr.js';
import { containerSetup } from '../../src/plan/container-setup.js';
import { planGateways } from '../../src/plan/gateways.js';
import { hostSetupBatch } from '../../src/plan/host-setup.js';
import { vlanGatewayBatch } from '../../src/plan/vlan-gateway.js';
import { vlanPortBatch } from '../../src/plan/vlan-port.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('host batch', () => {
  const host = hostSetupBatch({
    bridge: 'br0',
    mtu: 1400,
    vlanFiltering: true,
    promiscMode: true,
    hostVeth: 'veth1a2b3c4d',
    ifName: 'eth0',
    netns: '/run/netns/c1',
    mac: '02:00:00:00:00:01',
    hairpinMode: false,
    portIsolation: true,
  });

  it('is the golden text', () => {
    expect(host.batch.text()).toBe(fixture('host-setup.batch'));
  });

  it('tolerates an existing bridge and undoes only the veth', () => {
    const lines = host.batch.batch.lines;
    expect(lines[0]?.tolerate).toContain('exists');
    expect(lines.flatMap((l) => (l.undo ? [l.undo.words.join(' ')] : []))).toEqual([
      'link del dev veth1a2b3c4d',
    ]);
  });

  it('words failures as the reference', () => {
    expect(host.batch.wordingOf(5)?.('file exists')).toBe(
      'container veth name ("eth0") peer provided ("veth1a2b3c4d") already exists',
    );
    expect(host.batch.wordingOf(5)?.('invalid argument')).toBe(
      'failed to make veth pair: invalid argument',
    );
    expect(host.batch.wordingOf(1)?.('operation not supported')).toBe(
      'failed to create bridge "br0": could not add "br0": operation not supported',
    );
    expect(host.batch.wordingOf(6)?.('no such device')).toBe(
      'failed to connect "veth1a2b3c4d" to bridge br0: no such device',
    );
  });

  it('omits mtu, vlan_filtering, promisc and the MAC when not configured', () => {
    const plain = hostSetupBatch({
      bridge: 'cni0',
      mtu: 0,
      vlanFiltering: false,
      promiscMode: false,
      hostVeth: 'veth00000000',
      ifName: 'eth0',
      netns: '/proc/1/ns/net',
      mac: undefined,
      hairpinMode: true,
      portIsolation: false,
    }).batch.text();
    expect(plain.split('\n').slice(0, 2)).toEqual([
      'link add name cni0 type bridge',
      'link set dev cni0 up',
    ]);
    expect(plain).toContain(
      'link add name veth00000000 txqueuelen 0 type veth peer name eth0 txqueuelen 0 netns /proc/1/ns/net\n',
    );
    expect(plain).toContain('hairpin on isolated off');
  });
});

describe('container side', () => {
  const gateways = planGateways(
    {
      ips: [{ address: '10.1.2.5/24' }, { address: 'fd00::5/64' }],
      routes: [{ dst: '10.9.0.0/16', priority: 50, table: 100, scope: 0 }],
    },
    { isGateway: true, isDefaultGateway: true },
  );
  const plan = planInterface('eth0', {
    cniVersion: '1.1.0',
    interfaces: [{ name: 'br0' }, { name: 'veth1' }, { name: 'eth0' }],
    ips: gateways.ips,
    routes: [gateways.routes[1]!, gateways.routes[0]!, gateways.routes[2]!],
  });
  const input = { ifName: 'eth0', plan, enabledad: false, keepDown: false, routesLater: false };

  it('adds addresses, brings the link up, adds routes, reads the link', () => {
    expect(containerSetup(input).batch.text()).toBe(fixture('container-l3.batch'));
  });

  it('writes the reference sysctls in the same process, only the IPv6 ones fatal', () => {
    expect(containerSetup(input).sysctls).toEqual([
      { name: 'net/ipv6/conf/eth0/accept_dad', value: '0', optional: true },
      { name: 'net/ipv4/conf/eth0/arp_notify', value: '1', optional: true },
      { name: 'net/ipv6/conf/lo/disable_ipv6', value: '0' },
      { name: 'net/ipv6/conf/eth0/disable_ipv6', value: '0' },
      { name: 'net/ipv6/conf/eth0/keep_addr_on_down', value: '1' },
    ]);
  });

  it('enables DAD when asked and defers routes until addresses settle', () => {
    const dad = containerSetup({ ...input, enabledad: true, routesLater: true });
    expect(dad.sysctls.slice(0, 2).map((s) => s.name)).toEqual([
      'net/ipv6/conf/eth0/enhanced_dad',
      'net/ipv6/conf/eth0/accept_dad',
    ]);
    expect(dad.batch.text()).not.toContain('route');
  });

  it('only brings the link up in L2 mode, and not even that with disableContainerInterface', () => {
    const l2 = {
      ifName: 'eth0',
      plan: undefined,
      enabledad: false,
      keepDown: false,
      routesLater: false,
    };
    expect(containerSetup(l2).sysctls).toEqual([]);
    expect(containerSetup(l2).batch.text()).toBe('link set dev eth0 up\naddr show dev eth0\n');
    expect(containerSetup({ ...l2, keepDown: true }).batch.text()).toBe('addr show dev eth0\n');
  });
});

describe('port VLANs', () => {
  const render = (vlan: number, vlans: number[], preserveDefaultVlan = false) =>
    vlanPortBatch({ port: 'veth1', vlan, vlans, preserveDefaultVlan, current: [1] }).text();

  it('is empty without VLANs', () => {
    expect(render(0, [])).toBe('');
  });
  it('makes an access port, removing what the kernel gave the port', () => {
    expect(render(100, [])).toBe(
      'vlan del dev veth1 vid 1 master\nvlan add dev veth1 vid 100 pvid untagged master\n',
    );
  });
  it('keeps the default VLAN with preserveDefaultVlan', () => {
    expect(render(100, [], true)).toBe('vlan add dev veth1 vid 100 pvid untagged master\n');
  });
  it('makes a trunk with VID 1 native when no access VLAN is set', () => {
    expect(render(0, [101, 200])).toBe(
      'vlan del dev veth1 vid 1 master\nvlan add dev veth1 vid 101 master\nvlan add dev veth1 vid 200 master\nvlan add dev veth1 vid 1 pvid untagged master\n',
    );
  });
  it('combines access VLAN and trunk', () => {
    expect(render(100, [101])).toBe(
      'vlan del dev veth1 vid 1 master\nvlan add dev veth1 vid 100 pvid untagged master\nvlan add dev veth1 vid 101 master\n',
    );
  });
  it('creates the VLAN gateway interface', () => {
    expect(
      vlanGatewayBatch({ bridge: 'br0', name: 'br0.100', peer: 'veth2', mtu: 1500 }).batch.text(),
    ).toBe(
      'link add name br0.100 mtu 1500 txqueuelen 0 type veth peer name veth2 mtu 1500 txqueuelen 0\n' +
        'link set dev veth2 master br0 up\nlink set dev veth2 type bridge_slave hairpin off isolated off\n' +
        'link set dev br0.100 up\naddr show dev br0.100\n',
    );
  });
});

describe('bridge gateway addresses (ensureAddr)', () => {
  const addr = (address: string, prefixLength: number, family: 4 | 6 = 4): AddrInfo => ({
    family,
    address,
    prefixLength,
    cidr: `${address}/${prefixLength}`,
    scope: 'global',
    tentative: false,
    dadfailed: false,
    nodad: false,
    deprecated: false,
    peer: undefined,
    label: undefined,
  });
  const text = (existing: AddrInfo[], forceAddress: boolean, gw4: string[], gw6: string[] = []) =>
    bridgeAddrBatch({
      link: 'br0',
      gateways: { 4: gw4, 6: gw6 },
      existing,
      forceAddress,
      pinMac: '02:aa:bb:cc:dd:ee',
    }).text();

  it('adds the address and pins the MAC', () => {
    expect(text([], false, ['10.1.2.1/24'])).toBe(
      'addr add 10.1.2.1/24 brd + dev br0\nlink set dev br0 address 02:aa:bb:cc:dd:ee\n',
    );
  });
  it('does nothing (no pin) when the address is there', () => {
    expect(text([addr('10.1.2.1', 24)], false, ['10.1.2.1/24'])).toBe('');
  });
  it('refuses another IPv4 address without forceAddress', () => {
    expect(() => text([addr('10.0.0.1', 8)], false, ['10.1.2.3/16'])).toThrow(
      'failed to set bridge addr: "br0" already has an IP address different from 10.1.2.3/16',
    );
  });
  it('replaces it with forceAddress', () => {
    expect(text([addr('10.0.0.1', 8)], true, ['10.1.2.3/16'])).toBe(
      'addr del 10.0.0.1/8 dev br0\naddr add 10.1.2.3/16 brd + dev br0\nlink set dev br0 address 02:aa:bb:cc:dd:ee\n',
    );
  });
  it('allows non-overlapping IPv6 prefixes and refuses overlapping ones', () => {
    const existing = [addr('fe80::1', 64, 6), addr('fd00:1::1', 64, 6)];
    expect(text(existing, false, [], ['fd00:2::1/64'])).toContain('addr add fd00:2::1/64 dev br0');
    expect(() => text(existing, false, [], ['fd00:1::2/64'])).toThrow(
      'already has an IP address different',
    );
  });
  it('tolerates an address added concurrently, and never undoes it', () => {
    const [add] = bridgeAddrBatch({
      link: 'br0',
      gateways: { 4: ['10.1.2.1/24'], 6: [] },
      existing: [],
      forceAddress: false,
      pinMac: '02:00:00:00:00:01',
    }).batch.lines;
    expect(add?.tolerate).toContain('exists');
    expect(add?.undo).toBeUndefined();
  });
});
