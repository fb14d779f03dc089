import { cidrNetwork, formatCidrInetNtop, hostCidr } from '@cnikit/netops';
import { describe, expect, it } from 'vitest';
import {
  validateContainerId,
  validateIfName,
  validateIps,
  validateMac,
  validateNetnsPath,
  validateNetworkName,
} from '../src/validate.ts';
import { isNetfilterError, NetfilterError } from '../src/index.ts';

const BREAKOUTS = ['a"b', 'a\nb', 'a b', 'a\\b', "a'b", '', '-lead', 'a;b', 'a$(x)'];

describe('validation before any text is built', () => {
  it('accepts the skel regex for names and IDs', () => {
    expect(validateNetworkName('my-net_1.0')).toBe('my-net_1.0');
    expect(validateContainerId('0123abcdef-x.y_z')).toBe('0123abcdef-x.y_z');
  });

  it.each(BREAKOUTS)('refuses network name and container ID %j', (bad) => {
    expect(() => validateNetworkName(bad)).toThrow(NetfilterError);
    expect(() => validateContainerId(bad)).toThrow(NetfilterError);
  });

  it('refuses names so long the iptables comment would not fit', () => {
    expect(() => validateNetworkName('n'.repeat(101))).toThrow(/invalid network name/);
  });

  it('accepts kernel-style interface names only', () => {
    expect(validateIfName('eth0')).toBe('eth0');
    expect(validateIfName('veth1a2b3c4d')).toBe('veth1a2b3c4d');
    for (const bad of [...BREAKOUTS, 'x'.repeat(16), '.', '..', 'a/b', 'a:b', 'a@b'])
      expect(() => validateIfName(bad)).toThrow(/invalid interface name/);
  });

  it('lowercases MACs and refuses anything else', () => {
    expect(validateMac('0A:58:0A:01:02:05')).toBe('0a:58:0a:01:02:05');
    for (const bad of [
      '0a:58:0a:01:02',
      '0a-58-0a-01-02-05',
      '0a:58:0a:01:02:05"',
      'zz:58:0a:01:02:05',
    ])
      expect(() => validateMac(bad)).toThrow(/invalid MAC/);
  });

  it('parses every address and refuses non-arrays', () => {
    expect(validateIps(['10.0.0.2/24', 'fd00::2/64']).map((i) => i.address.family)).toEqual([4, 6]);
    expect(() => validateIps('10.0.0.2/24' as unknown as string[])).toThrow(/must be an array/);
    expect(() => validateIps([42 as unknown as string])).toThrow(/invalid IP/);
  });

  it('wants absolute, single-line namespace paths', () => {
    expect(validateNetnsPath(undefined)).toBeUndefined();
    expect(validateNetnsPath('/run/netns/x')).toBe('/run/netns/x');
    expect(validateNetnsPath('/proc/42/ns/net')).toBe('/proc/42/ns/net');
    expect(() => validateNetnsPath('run/netns/x')).toThrow(/namespace path/);
    expect(() => validateNetnsPath('/run/netns/x\n')).toThrow(/namespace path/);
    // What the default runner (netops) would refuse is refused here already.
    expect(() => validateNetnsPath('/run/netns/a b')).toThrow(NetfilterError);
    expect(() => validateNetnsPath('/run/netns/../x')).toThrow(NetfilterError);
  });
});

describe('validateIps: container addresses with prefix', () => {
  it.each([
    ['10.4.0.29/24', '10.4.0.0/24', '10.4.0.29/32'],
    ['192.168.1.130/25', '192.168.1.128/25', '192.168.1.130/32'],
    ['fd00:77::2/64', 'fd00:77::/64', 'fd00:77::2/128'],
    ['2001:DB8:0:0:1:0:0:1/48', '2001:db8::/48', '2001:db8::1:0:0:1/128'],
    ['10.0.0.1/0', '0.0.0.0/0', '10.0.0.1/32'],
  ])('%s: network %s, host %s', (text, net, host) => {
    const [ip] = validateIps([text]);
    if (!ip) throw new Error('no address');
    expect(formatCidrInetNtop(cidrNetwork(ip))).toBe(net);
    expect(formatCidrInetNtop(hostCidr(ip.address))).toBe(host);
  });

  it.each([
    '10.0.0.1',
    '10.0.0.256/24',
    '10.0.0.1/33',
    '01.0.0.1/8',
    'fd00::1/129',
    'fd00::1::2/64',
    'fd00::1%eth0/64',
    '10.0.0.1/24"',
    '10.0.0.1/24\n-A X',
    ' 10.0.0.1/24',
    '1.2.3.4::/64',
    '',
  ])('refuses %j', (text) => {
    let caught: unknown;
    try {
      validateIps([text]);
    } catch (err) {
      caught = err;
    }
    expect(isNetfilterError(caught) && caught.code === 'invalid-input').toBe(true);
  });
});
