import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIp, nextIp, prevIp } from '@cnikit/netops';
import {
  formatIp,
  inNetwork,
  lastOf,
  networkOf,
  parseCidr,
  parseIp,
  type IpAddress,
} from '../src/ip.js';

const v4 = (text: string): IpAddress => parseIp(text) as IpAddress;

describe('parseIp', () => {
  it.each([
    ['10.9.0.1', 4, 0x0a090001n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['FD00::5', 6, (0xfd00n << 112n) | 5n],
    ['1:2:3:4:5:6:7:8', 6, 0x00010002000300040005000600070008n],
    ['::ffff:10.9.0.7', 4, 0x0a090007n],
    ['::1.2.3.4', 6, 0x01020304n],
  ])('reads %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each([
    '',
    '10.9.0',
    '10.9.0.1.2',
    '010.9.0.1',
    '10.9.0.256',
    '10.9.0.-1',
    ' 10.9.0.1',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    'fd00::12345',
    'fe80::1%eth0',
    'banana',
    '10.9.0.1/24',
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('formatIp (Go net.IP.String, RFC 5952)', () => {
  it.each([
    ['fd00:0:0:0:0:0:0:fe', 'fd00::fe'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['FD00::ABCD', 'fd00::abcd'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
  ])('writes %s as %s', (text, canonical) => {
    expect(formatIp(parseIp(text) as IpAddress)).toBe(canonical);
  });

  it('round-trips every address through its text', () => {
    const v6 = fc
      .bigInt({ min: 0n, max: (1n << 128n) - 1n })
      .map((value) => ({ family: 6 as const, value }));
    const v4s = fc
      .bigInt({ min: 0n, max: (1n << 32n) - 1n })
      .map((value) => ({ family: 4 as const, value }));
    fc.assert(
      fc.property(fc.oneof(v4s, v6), (address) => {
        const back = parseIp(formatIp(address));
        // IPv4-mapped IPv6 addresses come back as IPv4, as Go's To4 makes them.
        if (address.family === 6 && address.value >> 32n === 0xffffn) {
          expect(back).toEqual({ family: 4, value: address.value & 0xffffffffn });
        } else {
          expect(back).toEqual(address);
        }
      }),
    );
  });
});

describe('parseCidr', () => {
  it('keeps host bits and the family of the text', () => {
    expect(parseCidr('10.9.0.5/24')).toEqual({
      address: v4('10.9.0.5'),
      prefix: 24,
      maskFamily: 4,
    });
    expect(parseCidr('::ffff:10.9.0.0/120')).toEqual({
      address: v4('10.9.0.0'),
      prefix: 120,
      maskFamily: 6,
    });
  });

  it.each(['10.9.0.0', '10.9.0.0/33', 'fd00::/129', '10.9.0.0/', '10.9.0.0/x', 'banana/8'])(
    'refuses %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );
});

describe('arithmetic', () => {
  it('computes network, last address and containment', () => {
    expect(formatIp(networkOf(v4('10.9.0.77'), 26))).toBe('10.9.0.64');
    expect(formatIp(lastOf(v4('10.9.0.77'), 26))).toBe('10.9.0.127');
    expect(inNetwork(v4('10.9.0.127'), v4('10.9.0.64'), 26)).toBe(true);
    expect(inNetwork(v4('10.9.0.128'), v4('10.9.0.64'), 26)).toBe(false);
    expect(inNetwork(parseIp('fd00::1') as IpAddress, v4('0.0.0.0'), 0)).toBe(false);
  });

  it('steps and orders the folded addresses with netops (v4 before v6)', () => {
    // netops' arithmetic itself is tested there; here, on addresses as host-local parses them.
    expect(formatIp(nextIp(parseIp('::ffff:10.9.0.255') as IpAddress))).toBe('10.9.1.0');
    expect(formatIp(prevIp(v4('10.9.1.0')))).toBe('10.9.0.255');
    expect(compareIp(parseIp('::ffff:10.0.0.2') as IpAddress, v4('10.0.0.10'))).toBeLessThan(0);
    expect(compareIp(parseIp('::') as IpAddress, v4('255.255.255.255'))).toBeGreaterThan(0);
  });
});
