import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cidrLastAddress,
  cidrNetwork,
  compareIp,
  formatCidr,
  formatIp,
  hostCidr,
  nextIp,
  offsetIp,
  parseCidr,
  parseIp,
  prevIp,
  type IpAddress,
} from '../src/index.js';

const anyIp: fc.Arbitrary<IpAddress> = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value) => ({ family: 4 as const, value })),
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value) => ({ family: 6 as const, value })),
);

describe('compareIp', () => {
  it('orders IPv4 before IPv6, then by value', () => {
    expect(compareIp(parseIp('10.0.0.2'), parseIp('10.0.0.10'))).toBeLessThan(0);
    expect(compareIp(parseIp('10.0.0.10'), parseIp('10.0.0.2'))).toBeGreaterThan(0);
    expect(compareIp(parseIp('10.0.0.2'), parseIp('10.0.0.2'))).toBe(0);
    expect(compareIp(parseIp('::'), parseIp('255.255.255.255'))).toBeGreaterThan(0);
    const sorted = ['fd00::1', '10.0.0.9', '::', '10.0.0.10'].map(parseIp).sort(compareIp);
    expect(sorted.map(formatIp)).toEqual(['10.0.0.9', '10.0.0.10', '::', 'fd00::1']);
  });
});

describe('offsetIp, nextIp, prevIp', () => {
  it('steps and wraps inside the family', () => {
    expect(formatIp(offsetIp(parseIp('10.9.0.255'), 1n))).toBe('10.9.1.0');
    expect(formatIp(offsetIp(parseIp('255.255.255.255'), 1n))).toBe('0.0.0.0');
    expect(formatIp(offsetIp(parseIp('fd00::'), -1n))).toBe(
      'fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    );
    expect(formatIp(offsetIp(parseIp('10.0.0.1'), 256n))).toBe('10.0.1.1');
    expect(formatIp(nextIp(parseIp('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')))).toBe('::');
    expect(formatIp(prevIp(parseIp('0.0.0.0')))).toBe('255.255.255.255');
    expect(formatIp(nextIp(parseIp('fd00::ffff')))).toBe('fd00::1:0');
    expect(formatIp(prevIp(parseIp('10.0.1.0')))).toBe('10.0.0.255');
  });

  it('nextIp and prevIp undo each other and keep the family', () => {
    fc.assert(
      fc.property(anyIp, (ip) => {
        expect(prevIp(nextIp(ip))).toEqual(ip);
        expect(nextIp(ip).family).toBe(ip.family);
      }),
    );
  });
});

describe('cidrLastAddress', () => {
  it.each([
    ['10.9.0.77/26', '10.9.0.127/26'],
    ['10.1.2.5/24', '10.1.2.255/24'],
    ['10.1.2.5/32', '10.1.2.5/32'],
    ['1.2.3.4/0', '255.255.255.255/0'],
    ['fd00::5/64', 'fd00::ffff:ffff:ffff:ffff/64'],
    ['fd00::5/128', 'fd00::5/128'],
  ])('%s ends at %s', (cidr, last) => {
    expect(formatCidr(cidrLastAddress(parseCidr(cidr)))).toBe(last);
  });

  it('is the network plus its host bits', () => {
    const net = cidrNetwork(parseCidr('10.22.200.7/16'));
    expect(cidrLastAddress(net).address.value - net.address.value).toBe(0xffffn);
  });
});

describe('hostCidr', () => {
  it('gives /32 or /128', () => {
    expect(formatCidr(hostCidr(parseIp('10.4.0.29')))).toBe('10.4.0.29/32');
    expect(formatCidr(hostCidr(parseIp('fd00:77::2')))).toBe('fd00:77::2/128');
  });
});
