import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
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

// The expressions the character loops replaced, kept as the oracle the loops must agree with.
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;
const PREFIX = /^[0-9]{1,3}$/;

function oracleIpv6(text: string): boolean {
  const tail = text.slice(text.lastIndexOf(':') + 1);
  let body = text;
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    body = `${text.slice(0, text.length - tail.length)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((g) => HEXTET.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

function oracleIpFamily(text: string): 4 | 6 | undefined {
  if (text.includes(':')) return oracleIpv6(text) ? 6 : undefined;
  return IPV4.test(text) ? 4 : undefined;
}

function oracleCidrFamily(text: string): 4 | 6 | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const family = oracleIpFamily(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (family === undefined || !PREFIX.test(prefix)) return undefined;
  return Number(prefix) <= (family === 4 ? 32 : 128) ? family : undefined;
}

describe('the character loops agree with the regular expressions they replaced', () => {
  // Texts near the grammar: digits, hex letters, separators and a few strangers.
  const piece = fc.constantFrom(
    ...['0', '1', '2', '5', '9', '25', '255', '256', '01', '00', '199', '249', '300'],
    ...['a', 'F', 'g', 'ffff', 'fffff', '.', ':', '::', '/', ' ', '-', '%', '1e2', '０'],
  );
  const text = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));

  it('ipFamily', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(ipFamily(t)).toBe(oracleIpFamily(t));
      }),
      { numRuns: 20000 },
    );
  });

  it('cidrFamily', () => {
    const cidr = fc.tuple(text, text).map(([a, p]) => `${a}/${p}`);
    fc.assert(
      fc.property(fc.oneof(text, cidr), (t) => {
        expect(cidrFamily(t)).toBe(oracleCidrFamily(t));
      }),
      { numRuns: 20000 },
    );
  });

  it('every dotted quad of interesting octets', () => {
    const octets = [
      '0',
      '00',
      '1',
      '01',
      '9',
      '10',
      '99',
      '100',
      '199',
      '200',
      '249',
      '250',
      '255',
      '256',
      '999',
      '1000',
    ];
    for (const a of octets)
      for (const b of ['0', '255', '256', '01'])
        for (const t of [`${a}.${b}.1.2`, `1.2.${b}.${a}`, `::ffff:${a}.1.2.${b}`])
          expect(ipFamily(t)).toBe(oracleIpFamily(t));
  });
});
