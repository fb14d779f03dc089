import { describe, expect, it } from 'vitest';
import { cidrFamily, ipFamily } from '../src/ip.js';

describe('ipFamily reads addresses as Go net.ParseIP does', () => {
  it.each([
    ['10.1.2.3', 4],
    ['0.0.0.0', 4],
    ['255.255.255.255', 4],
    ['::', 6],
    ['::1', 6],
    ['fe80::1', 6],
    ['2001:db8::', 6],
    ['1:2:3:4:5:6:7:8', 6],
    ['1:2:3:4:5:6:7::', 6],
    ['::ffff:10.1.2.3', 6],
    ['64:ff9b::192.0.2.33', 6],
    ['1:2:3:4:5:6:1.2.3.4', 6],
    ['ABCD:EF01::', 6],
  ] as const)('%s is IPv%i', (text, family) => {
    expect(ipFamily(text)).toBe(family);
  });

  it.each([
    '',
    '10.1.2',
    '10.1.2.3.4',
    '256.1.2.3',
    '01.2.3.4',
    '1.2.3.4 ',
    '1.2.3.-4',
    ':::',
    '1::2::3',
    ':1::2',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::1',
    'fe80::1%eth0',
    '::1.2.3',
    '1:2:3:4:5:6:7:1.2.3.4',
  ])('%j is no address', (text) => {
    expect(ipFamily(text)).toBeUndefined();
  });
});

describe('cidrFamily', () => {
  it('takes host bits and prefixes up to the family width', () => {
    expect(cidrFamily('10.1.2.3/16')).toBe(4);
    expect(cidrFamily('10.1.2.3/32')).toBe(4);
    expect(cidrFamily('fd00::5/128')).toBe(6);
  });

  it.each(['10.1.2.3', '10.1.2.3/33', 'fd00::/129', '10.1.2.3/', '10.1.2.3/x', '/24', 'x/24'])(
    '%j is no CIDR',
    (text) => {
      expect(cidrFamily(text)).toBeUndefined();
    },
  );
});
