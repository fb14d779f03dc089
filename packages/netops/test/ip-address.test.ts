import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalCidr,
  canonicalIp,
  cidrContains,
  cidrFirstHost,
  cidrNetwork,
  cidrsOverlap,
  familyOf,
  formatCidr,
  formatCidrInetNtop,
  formatIp,
  formatIpInetNtop,
  isNetopsError,
  parseCidr,
  parseIp,
  tryParseCidr,
  tryParseIp,
} from '../src/index.js';

describe('parseIp / formatIp', () => {
  it.each([
    ['10.1.2.3', '10.1.2.3'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['0:0:0:0:0:ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::ffff:0102:0304', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::102:304'],
  ])('%s is %s', (input, canonical) => {
    expect(canonicalIp(input)).toBe(canonical);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '010.1.1.1',
    '1.2.3.-4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1::2::3',
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8',
    'fe80::1%eth0',
    '12345::',
    'g::1',
    '::ffff:1.2.3',
    '10.0.0.1/24',
  ])('refuses %j', (input) => {
    expect(tryParseIp(input)).toBeUndefined();
    expect(() => parseIp(input)).toThrowError(/invalid IP address/);
  });

  it('throws a NetopsError of kind invalid', () => {
    try {
      parseIp('nope');
      expect.unreachable();
    } catch (err) {
      expect(isNetopsError(err, 'invalid')).toBe(true);
    }
  });

  it('agrees with the WHATWG URL serialiser on random IPv6 addresses', () => {
    // The URL parser prints IPv4-mapped addresses in hex, so those are left to the table above.
    const v6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).filter((v) => v >> 32n !== 0xffffn);
    fc.assert(
      fc.property(v6, (value) => {
        const text = formatIp({ family: 6, value });
        expect(`[${text}]`).toBe(new URL(`http://[${text}]/`).hostname);
        expect(parseIp(text)).toEqual({ family: 6, value });
      }),
    );
  });

  it('round-trips random IPv6 addresses with sparse zero groups', () => {
    const groups = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
      minLength: 8,
      maxLength: 8,
    });
    fc.assert(
      fc.property(groups, (g) => {
        const full = g.map((x) => x.toString(16)).join(':');
        const value = g.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n);
        expect(parseIp(full).value).toBe(value);
        expect(parseIp(formatIp({ family: 6, value })).value).toBe(value);
      }),
    );
  });

  it('round-trips random IPv4 addresses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const text = formatIp({ family: 4, value: BigInt(n) });
        expect(text).toBe(new URL(`http://${text}/`).hostname);
        expect(parseIp(text).value).toBe(BigInt(n));
      }),
    );
  });
});

describe('formatIpInetNtop (glibc inet_ntop, as iptables-save and nft print it)', () => {
  it.each([
    ['fd00:0:0:0:0:0:0:5', 'fd00::5'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:ffff:a00:1', '::ffff:10.0.0.1'],
    ['FF00::', 'ff00::'],
    // IPv4-compatible addresses keep a dotted tail, unlike formatIp...
    ['::102:304', '::1.2.3.4'],
    ['::1:0', '::0.1.0.0'],
    ['::ffff:ffff', '::255.255.255.255'],
    // ...but not below ::1:0, nor with any other non-zero group.
    ['::ffff', '::ffff'],
    ['::100', '::100'],
    ['1::102:304', '1::102:304'],
    ['::1:1:102:304', '::1:1:102:304'],
    ['10.0.0.1', '10.0.0.1'],
  ])('%s -> %s', (input, expected) => {
    expect(formatIpInetNtop(parseIp(input))).toBe(expected);
  });

  it('differs from formatIp only for IPv4-compatible addresses', () => {
    expect(formatIp(parseIp('::1.2.3.4'))).toBe('::102:304');
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        const ip = { family: 6 as const, value };
        const compatible = value >> 32n === 0n && value >> 16n !== 0n;
        expect(formatIpInetNtop(ip) === formatIp(ip)).toBe(!compatible);
      }),
    );
  });

  it('round-trips any 128-bit address, without leading zeros in a group', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        const text = formatIpInetNtop({ family: 6, value });
        expect(parseIp(text)).toEqual({ family: 6, value });
        expect(text).not.toMatch(/(^|:)0[0-9a-f]/);
      }),
    );
  });

  it('writes CIDRs with the same address text, host bits kept', () => {
    expect(formatCidrInetNtop(parseCidr('::1.2.3.4/120'))).toBe('::1.2.3.4/120');
    expect(formatCidrInetNtop(parseCidr('FD00:0::5/64'))).toBe('fd00::5/64');
    expect(formatCidrInetNtop(parseCidr('10.1.2.5/24'))).toBe('10.1.2.5/24');
  });
});

describe('CIDRs', () => {
  it('keeps host bits and canonicalises', () => {
    expect(canonicalCidr('10.1.2.5/24')).toBe('10.1.2.5/24');
    expect(canonicalCidr('FD00:0::5/64')).toBe('fd00::5/64');
  });

  it.each(['10.1.2.5', '10.1.2.5/33', '::/129', '10.1.2.5/024', '10.1.2.5/', '/24', 'x/24'])(
    'refuses %j',
    (input) => {
      expect(tryParseCidr(input)).toBeUndefined();
      expect(() => parseCidr(input)).toThrowError(/invalid CIDR/);
    },
  );

  it('computes the network and the first host (the default gateway)', () => {
    expect(formatCidr(cidrNetwork(parseCidr('10.1.2.5/24')))).toBe('10.1.2.0/24');
    expect(formatCidr(cidrFirstHost(parseCidr('10.1.2.5/24')))).toBe('10.1.2.1/24');
    expect(formatCidr(cidrFirstHost(parseCidr('10.22.200.7/16')))).toBe('10.22.0.1/16');
    expect(formatCidr(cidrFirstHost(parseCidr('fd00:1:2:3::99/64')))).toBe('fd00:1:2:3::1/64');
    expect(formatCidr(cidrFirstHost(parseCidr('10.0.0.0/31')))).toBe('10.0.0.1/31');
    expect(formatCidr(cidrNetwork(parseCidr('1.2.3.4/0')))).toBe('0.0.0.0/0');
  });

  it('has no first host for /32 and /128', () => {
    expect(() => cidrFirstHost(parseCidr('10.0.0.1/32'))).toThrowError(/no host/);
    expect(() => cidrFirstHost(parseCidr('fd00::1/128'))).toThrowError(/no host/);
  });

  it.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/8', true],
    ['10.0.0.0/16', '10.1.0.0/16', false],
    ['fd00::/64', 'fd00::1/128', true],
    ['fd00::/64', 'fd00:0:0:1::/64', false],
    ['10.0.0.0/8', '::/0', false],
    ['0.0.0.0/0', '192.168.1.1/32', true],
  ])('overlap(%s, %s) is %s', (a, b, want) => {
    expect(cidrsOverlap(parseCidr(a), parseCidr(b))).toBe(want);
  });

  it('tells whether a network contains an address', () => {
    expect(cidrContains(parseCidr('10.1.2.0/24'), parseIp('10.1.2.254'))).toBe(true);
    expect(cidrContains(parseCidr('10.1.2.0/24'), parseIp('10.1.3.1'))).toBe(false);
    expect(cidrContains(parseCidr('10.1.2.0/24'), parseIp('::1'))).toBe(false);
  });

  it('reports the family of address or CIDR text', () => {
    expect(familyOf('10.0.0.1')).toBe(4);
    expect(familyOf('fd00::/8')).toBe(6);
    expect(familyOf('nonsense')).toBeUndefined();
  });
});
