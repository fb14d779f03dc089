import { describe, expect, it } from 'vitest';
import { isCniError } from '@cnikit/cni-skel';
import { formatIp, parseCidr, parseIp, type IpAddress } from '../src/ip.js';
import {
  canonicalizeRange,
  canonicalizeRangeSet,
  formatRange,
  formatRangeSet,
  rangeContains,
  rangeSetsOverlap,
  type RangeInput,
} from '../src/range.js';

const ip = (text: string): IpAddress => parseIp(text) as IpAddress;
const input = (
  subnet: string,
  extra: Partial<Record<'rangeStart' | 'rangeEnd' | 'gateway', string>> = {},
): RangeInput => ({
  subnet: parseCidr(subnet),
  rangeStart: extra.rangeStart === undefined ? undefined : ip(extra.rangeStart),
  rangeEnd: extra.rangeEnd === undefined ? undefined : ip(extra.rangeEnd),
  gateway: extra.gateway === undefined ? undefined : ip(extra.gateway),
});

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isCniError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a failure');
}

describe('canonicalizeRange', () => {
  it('fills the reference defaults: gateway and start network+1, end the last host', () => {
    const r = canonicalizeRange(input('10.9.0.0/24'));
    expect([r.gateway, r.start, r.end].map(formatIp)).toEqual([
      '10.9.0.1',
      '10.9.0.1',
      '10.9.0.254',
    ]);
    const v6 = canonicalizeRange(input('fd00::/120'));
    expect([v6.gateway, v6.start, v6.end].map(formatIp)).toEqual([
      'fd00::1',
      'fd00::1',
      'fd00::ff',
    ]);
    expect(formatRange(r)).toBe('10.9.0.1-10.9.0.254');
  });

  it('keeps what is configured, even a gateway outside the subnet (as 1.1.1 does)', () => {
    const r = canonicalizeRange(
      input('10.9.0.0/24', { rangeStart: '10.9.0.10', rangeEnd: '10.9.0.20', gateway: '10.8.0.1' }),
    );
    expect(formatRange(r)).toBe('10.9.0.10-10.9.0.20');
    expect(formatIp(r.gateway)).toBe('10.8.0.1');
  });

  it.each([
    [input('10.9.0.0/31'), 'Network 10.9.0.0/31 too small to allocate from'],
    [input('fd00::/127'), 'Network fd00::/127 too small to allocate from'],
    [
      input('10.9.0.5/24'),
      'Network has host bits set. For a subnet mask of length 24 the network address is 10.9.0.0',
    ],
    [input('::ffff:10.9.0.0/120'), 'IPNet IP and Mask version mismatch'],
    [
      input('10.9.0.0/24', { rangeStart: '10.9.1.1' }),
      'RangeStart 10.9.1.1 not in network 10.9.0.0/24',
    ],
    [
      input('10.9.0.0/24', { rangeStart: '10.9.0.50', rangeEnd: '10.9.0.10' }),
      'RangeStart 10.9.0.50 not in network 10.9.0.0/24',
    ],
    [input('10.9.0.0/24', { rangeEnd: 'fd00::3' }), 'RangeEnd fd00::3 not in network 10.9.0.0/24'],
    [{}, 'subnet is required'],
  ])('refuses %#: %s', (bad, message) => {
    expect(failure(() => canonicalizeRange(bad))).toBe(message);
  });

  it('accepts a /30, the smallest IPv4 subnet with a host', () => {
    expect(formatRange(canonicalizeRange(input('10.9.0.0/30')))).toBe('10.9.0.1-10.9.0.2');
  });

  it('contains only what lies between start and end', () => {
    const r = canonicalizeRange(
      input('10.9.0.0/24', { rangeStart: '10.9.0.10', rangeEnd: '10.9.0.20' }),
    );
    expect(
      ['10.9.0.9', '10.9.0.10', '10.9.0.20', '10.9.0.21', 'fd00::10'].map((a) =>
        rangeContains(r, ip(a)),
      ),
    ).toEqual([false, true, true, false, false]);
  });
});

describe('canonicalizeRangeSet', () => {
  it.each([
    [[], 'empty range set'],
    [[input('10.9.0.0/24'), input('fd00::/64')], 'mixed address families'],
    [
      [input('10.9.0.0/24'), input('10.9.0.0/25')],
      'subnets 10.9.0.1-10.9.0.254 and 10.9.0.1-10.9.0.126 overlap',
    ],
  ])('refuses %#: %s', (set, message) => {
    expect(failure(() => canonicalizeRangeSet(set))).toBe(message);
  });

  it('accepts ranges of one subnet that do not overlap, and prints them as the reference', () => {
    const set = canonicalizeRangeSet([
      input('10.9.0.0/24', { rangeStart: '10.9.0.10', rangeEnd: '10.9.0.19' }),
      input('10.9.0.0/24', { rangeStart: '10.9.0.20', rangeEnd: '10.9.0.29' }),
    ]);
    expect(formatRangeSet(set)).toBe('10.9.0.10-10.9.0.19,10.9.0.20-10.9.0.29');
    expect(rangeSetsOverlap(set, canonicalizeRangeSet([input('10.9.0.0/25')]))).toBe(true);
    expect(rangeSetsOverlap(set, canonicalizeRangeSet([input('fd00::/64')]))).toBe(false);
  });
});
