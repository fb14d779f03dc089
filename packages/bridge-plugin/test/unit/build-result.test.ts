import { describe, expect, it } from 'vitest';
import { buildResult, type BridgePart } from '../../src/result/build-result.js';

const part: BridgePart = {
  bridge: { name: 'cni0', mac: '02:00:00:00:00:01' },
  hostVeth: { name: 'veth1a2b3c4d', mac: '02:00:00:00:00:02' },
  container: { name: 'eth0', mac: '02:00:00:00:00:03', sandbox: '/run/netns/c1' },
  ips: [{ address: '10.1.2.5/24', gateway: '10.1.2.1', interface: 2 }],
  routes: [{ dst: '0.0.0.0/0', gw: '10.1.2.1' }],
  ipamDns: { nameservers: ['10.1.2.53'] },
  confDns: {},
};

describe('buildResult', () => {
  it('lists bridge, host veth and container, IPs on interface 2, IPAM DNS', () => {
    expect(buildResult(part)).toEqual({
      cniVersion: '1.1.0',
      interfaces: [part.bridge, part.hostVeth, part.container],
      ips: part.ips,
      routes: part.routes,
      dns: { nameservers: ['10.1.2.53'] },
    });
  });

  it('lets the config DNS replace the IPAM one, and adds the VLAN gateway', () => {
    const result = buildResult({
      ...part,
      confDns: { search: ['svc.local'] },
      vlanGateway: { name: 'cni0.100', mac: '02:00:00:00:00:04' },
    });
    expect(result.dns).toEqual({ search: ['svc.local'] });
    expect(result.interfaces).toHaveLength(4);
  });

  it('omits empty lists (L2)', () => {
    const result = buildResult({ ...part, ips: [], routes: [], ipamDns: undefined });
    expect(result).not.toHaveProperty('ips');
    expect(result).not.toHaveProperty('routes');
    expect(result).not.toHaveProperty('dns');
  });

  it('merges after a prevResult, offsetting the interface indexes', () => {
    const prev = {
      cniVersion: '1.1.0',
      interfaces: [{ name: 'tap0' }],
      ips: [{ address: '192.168.0.2/24', interface: 0 }],
      routes: [{ dst: '192.168.9.0/24' }],
      dns: { domain: 'prev' },
    };
    const result = buildResult({ ...part, ipamDns: undefined }, prev);
    expect(result.interfaces?.map((i) => i.name)).toEqual(['tap0', 'cni0', 'veth1a2b3c4d', 'eth0']);
    expect(result.ips).toEqual([prev.ips[0], { ...part.ips[0], interface: 3 }]);
    expect(result.routes).toEqual([prev.routes[0], part.routes[0]]);
    expect(result.dns).toEqual({ domain: 'prev' });
  });
});
