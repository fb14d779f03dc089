import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalAddressText,
  formatAddress,
  formatPrefix,
  hostPrefix,
  networkOf,
  parseAddress,
  parseIpPrefix,
} from '../src/ip-address.ts';
import { isNetfilterError } from '../src/index.ts';

describe('parseIpPrefix', () => {
  it.each([
    ['10.4.0.29/24', '10.4.0.0/24', '10.4.0.29/32'],
    ['192.168.1.130/25', '192.168.1.128/25', '192.168.1.130/32'],
    ['fd00:77::2/64', 'fd00:77::/64', 'fd00:77::2/128'],
    ['2001:DB8:0:0:1:0:0:1/48', '2001:db8::/48', '2001:db8::1:0:0:1/128'],
    ['10.0.0.1/0', '0.0.0.0/0', '10.0.0.1/32'],
  ])('%s: network %s, host %s', (text, net, host) => {
    const ip = parseIpPrefix(text);
    expect(formatPrefix(networkOf(ip))).toBe(net);
    expect(formatPrefix(hostPrefix(ip))).toBe(host);
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
    '',
  ])('refuses %j', (text) => {
    let caught: unknown;
    try {
      parseIpPrefix(text);
    } catch (err) {
      caught = err;
    }
    expect(isNetfilterError(caught) && caught.code === 'invalid-input').toBe(true);
  });
});

describe('IPv6 text form (as iptables-save and nft print it)', () => {
  it.each([
    ['fd00:0:0:0:0:0:0:5', 'fd00::5'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:ffff:a00:1', '::ffff:10.0.0.1'],
    ['FF00::', 'ff00::'],
  ])('%s -> %s', (input, expected) => {
    const addr = parseAddress(input);
    expect(addr && formatAddress(addr)).toBe(expected);
  });

  it('round-trips any 16 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (raw) => {
        const bytes = [...raw];
        const text = formatAddress({ family: 6, bytes });
        expect(parseAddress(text)?.bytes).toEqual(bytes);
        expect(text).not.toMatch(/(^|:)0[0-9a-f]/);
      }),
    );
  });

  it('canonicalizes address tokens and leaves others alone', () => {
    expect(canonicalAddressText('fd00:0::5/128')).toBe('fd00::5/128');
    expect(canonicalAddressText('CNI-abc')).toBe('CNI-abc');
    expect(canonicalAddressText('MASQUERADE')).toBe('MASQUERADE');
  });
});
