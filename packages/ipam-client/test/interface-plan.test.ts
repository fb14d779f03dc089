import type { Result } from '@cnikit/cni-skel';
import { describe, expect, it } from 'vitest';
import { planInterface } from '../src/interface-plan.ts';
import { isIpamError } from '../src/errors.ts';

const interfaces = [{ name: 'cni0' }, { name: 'veth1' }, { name: 'eth0', sandbox: '/run/netns/c' }];

describe('planInterface', () => {
  it('plans a v4 address with the family gateway for routes without gw', () => {
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces,
      ips: [{ address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 2 }],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '192.168.0.0/24', gw: '10.1.0.254' }],
    };
    expect(planInterface('eth0', result)).toEqual({
      ifName: 'eth0',
      enableIpv6: false,
      addresses: [{ cidr: '10.1.0.5/16', family: 4 }],
      routes: [
        { dst: '0.0.0.0/0', family: 4, via: '10.1.0.1' },
        { dst: '192.168.0.0/24', family: 4, via: '10.1.0.254' },
      ],
      settle: false,
    });
  });

  it('dual stack: enables IPv6, settles for the v6 gateway, picks the first gateway per family', () => {
    const plan = planInterface('eth0', {
      cniVersion: '1.1.0',
      interfaces,
      ips: [
        { address: '10.1.0.5/16', interface: 2 },
        { address: 'fd00::5/64', gateway: 'fd00::1', interface: 2 },
        { address: '10.2.0.5/16', gateway: '10.2.0.1', interface: 2 },
        { address: '10.3.0.5/16', gateway: '10.3.0.1', interface: 2 },
      ],
      routes: [{ dst: '::/0' }, { dst: '0.0.0.0/0' }],
    });
    expect(plan.enableIpv6).toBe(true);
    expect(plan.settle).toBe(true);
    expect(plan.routes).toEqual([
      { dst: '::/0', family: 6, via: 'fd00::1' },
      { dst: '0.0.0.0/0', family: 4, via: '10.2.0.1' },
    ]);
  });

  it('keeps a route without gateway when its family has none', () => {
    const plan = planInterface('eth0', {
      cniVersion: '1.1.0',
      interfaces,
      ips: [{ address: '10.1.0.5/16', interface: 2 }],
      routes: [{ dst: '10.9.0.0/16' }, { dst: 'fd09::/64' }],
    });
    expect(plan.routes).toEqual([
      { dst: '10.9.0.0/16', family: 4 },
      { dst: 'fd09::/64', family: 6 },
    ]);
    expect(plan.settle).toBe(false);
  });

  it('carries priority as metric (not when 0), table and scope (also 0)', () => {
    const plan = planInterface('eth0', {
      cniVersion: '1.1.0',
      interfaces,
      ips: [],
      routes: [
        { dst: '10.5.0.0/16', priority: 100, table: 0, scope: 0 },
        { dst: '10.6.0.0/16', priority: 0, table: 1000, scope: 253 },
      ],
    });
    expect(plan.routes).toEqual([
      { dst: '10.5.0.0/16', family: 4, metric: 100, table: 0, scope: 0 },
      { dst: '10.6.0.0/16', family: 4, table: 1000, scope: 253 },
    ]);
  });

  it('skips IPs without an interface index (as the reference does)', () => {
    const plan = planInterface('eth0', {
      cniVersion: '1.1.0',
      interfaces,
      ips: [{ address: 'fd00::5/64', gateway: 'fd00::1' }],
    });
    expect(plan.addresses).toEqual([]);
    expect(plan.enableIpv6).toBe(false);
    expect(plan.settle).toBe(false);
  });

  it('refuses a result with no interfaces', () => {
    expect(() => planInterface('eth0', { cniVersion: '1.1.0', ips: [] })).toThrow(
      'no interfaces to configure',
    );
  });

  it.each([
    [5, 'out of range'],
    [-1, 'negative'],
    [0, 'another interface'],
    [1.5, 'not an integer'],
  ])('refuses interface index %j (%s)', (index) => {
    let caught: unknown;
    try {
      planInterface('eth0', {
        cniVersion: '1.1.0',
        interfaces,
        ips: [{ address: '10.1.0.5/16', interface: index }],
      });
    } catch (err) {
      caught = err;
    }
    expect(isIpamError(caught, 'configure')).toBe(true);
    expect((caught as Error).message).toBe(
      `failed to add IP addr {"address":"10.1.0.5/16","interface":${index}} to "eth0": invalid interface index`,
    );
  });

  it.each([
    [{ ips: [{ address: '10.1.0.5', interface: 2 }] }, /invalid CIDR address/],
    [{ ips: [{ address: '10.1.0.5/33', interface: 2 }] }, /invalid CIDR address/],
    [{ ips: [{ address: 'fe80::1%eth0/64', interface: 2 }] }, /invalid CIDR address/],
    [{ ips: [{ address: '10.1.0.5/16 dev lo', interface: 2 }] }, /invalid CIDR address/],
    [{ ips: [{ address: '10.1.0.5/16', gateway: 'x', interface: 2 }] }, /invalid gateway/],
    [{ routes: [{ dst: 'nope' }] }, /invalid destination/],
    [{ routes: [{ dst: '10.0.0.0/8', gw: 'fd00::1' }] }, /not of the destination family/],
    [{ routes: [{ dst: '10.0.0.0/8', scope: 256 }] }, /invalid scope/],
    [{ routes: [{ dst: '10.0.0.0/8', table: -1 }] }, /invalid table/],
    [{ routes: [{ dst: '10.0.0.0/8', priority: 1.5 }] }, /invalid priority/],
  ])('refuses bad values before anything runs: %j', (part, message) => {
    expect(() => planInterface('eth0', { cniVersion: '1.1.0', interfaces, ...part })).toThrow(
      message,
    );
  });
});
