import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignRequested, candidates, freeAddressCount } from '../src/allocator.js';
import { formatIp, parseCidr, parseIp, type IpAddress } from '../src/ip.js';
import { canonicalizeRangeSet, type RangeSet } from '../src/range.js';

const ip = (text: string): IpAddress => parseIp(text) as IpAddress;
function set(...ranges: Array<[string, string?, string?, string?]>): RangeSet {
  return canonicalizeRangeSet(
    ranges.map(([subnet, start, end, gateway]) => ({
      subnet: parseCidr(subnet),
      rangeStart: start === undefined ? undefined : ip(start),
      rangeEnd: end === undefined ? undefined : ip(end),
      gateway: gateway === undefined ? undefined : ip(gateway),
    })),
  );
}
const order = (s: RangeSet, last?: string): string[] =>
  [...candidates(s, last === undefined ? undefined : ip(last))].map((c) => formatIp(c.address));

describe('candidates (the reference round-robin)', () => {
  const small = set(['10.9.0.0/29']);

  it('starts at rangeStart and skips the gateway', () => {
    expect(order(small)).toEqual(['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
  });

  it('resumes after the last reserved address and ends with it', () => {
    expect(order(small, '10.9.0.4')).toEqual([
      '10.9.0.5',
      '10.9.0.6',
      '10.9.0.2',
      '10.9.0.3',
      '10.9.0.4',
    ]);
  });

  it('wraps to the next range when the last reserved is a range end', () => {
    const two = set(
      ['10.9.0.0/24', '10.9.0.10', '10.9.0.12'],
      ['10.9.0.0/24', '10.9.0.20', '10.9.0.21'],
    );
    expect(order(two, '10.9.0.12')).toEqual([
      '10.9.0.20',
      '10.9.0.21',
      '10.9.0.10',
      '10.9.0.11',
      '10.9.0.12',
    ]);
    expect(order(two, '10.9.0.20')).toEqual([
      '10.9.0.21',
      '10.9.0.10',
      '10.9.0.11',
      '10.9.0.12',
      '10.9.0.20',
    ]);
  });

  it('starts afresh when the last reserved address is not in the set', () => {
    expect(order(small, '10.9.0.1')).toEqual(order(small));
    expect(order(small, 'fd00::1')).toEqual(order(small));
  });

  it('skips a gateway inside the range, and never offers network or broadcast', () => {
    expect(order(set(['10.9.0.0/29', '10.9.0.0', '10.9.0.7', '10.9.0.3']))).toEqual([
      '10.9.0.1',
      '10.9.0.2',
      '10.9.0.4',
      '10.9.0.5',
      '10.9.0.6',
    ]);
  });

  it('offers the last address of an IPv6 subnet (no broadcast there)', () => {
    expect(order(set(['fd00::/126']))).toEqual(['fd00::2', 'fd00::3']);
  });
});

describe('freeAddressCount', () => {
  it('counts the range minus gateway and reservations inside it', () => {
    const small = set(['10.9.0.0/29']);
    expect(freeAddressCount(small, [])).toBe(5n);
    expect(freeAddressCount(small, [ip('10.9.0.2'), ip('10.9.0.3'), ip('10.8.0.2')])).toBe(3n);
    expect(
      freeAddressCount(
        small,
        ['2', '3', '4', '5', '6'].map((n) => ip(`10.9.0.${n}`)),
      ),
    ).toBe(0n);
    expect(freeAddressCount(set(['10.9.0.0/29', '10.9.0.0', '10.9.0.7', '10.9.0.3']), [])).toBe(5n);
    expect(freeAddressCount(set(['fd00::/64']), [])).toBe((1n << 64n) - 2n);
  });
});

describe('assignRequested', () => {
  it('gives each range set the first requested address it holds and returns the rest', () => {
    const sets = [set(['10.9.0.0/24']), set(['fd00::/64'])];
    const { perSet, unassigned } = assignRequested(sets, [
      ip('10.9.0.5'),
      ip('10.9.0.6'),
      ip('fd00::9'),
      ip('10.8.0.1'),
    ]);
    expect(perSet.map((a) => a && formatIp(a))).toEqual(['10.9.0.5', 'fd00::9']);
    expect(unassigned.map(formatIp)).toEqual(['10.9.0.6', '10.8.0.1']);
  });
});

/**
 * A step-by-step model of the reference's RangeIter (a cursor that advances one address at a
 * time, moves to the next range after a range end, and stops when it comes back to where it
 * began), to show that the generator offers the same addresses in the same order.
 */
function referenceModel(s: RangeSet, last?: IpAddress): string[] {
  const next = (a: IpAddress): IpAddress => ({ family: a.family, value: a.value + 1n });
  const same = (a?: IpAddress, b?: IpAddress): boolean =>
    !!a && !!b && a.value === b.value && a.family === b.family;
  let idx = 0;
  let cur: IpAddress | undefined;
  let startIp: IpAddress | undefined;
  const holder = last
    ? s.findIndex(
        (r) => r.family === last.family && last.value >= r.start.value && last.value <= r.end.value,
      )
    : -1;
  if (last && holder !== -1) {
    idx = holder;
    cur = last;
  } else {
    startIp = s[0]?.start;
  }
  const out: string[] = [];
  for (let guard = 0; guard < 10_000; guard += 1) {
    let r = s[idx]!;
    if (cur === undefined) {
      cur = r.start;
      startIp = cur;
    } else {
      if (same(cur, r.end)) {
        idx = (idx + 1) % s.length;
        r = s[idx]!;
        cur = r.start;
      } else cur = next(cur);
      if (startIp === undefined) startIp = cur;
      else if (same(cur, startIp)) return out;
    }
    if (!same(cur, r.gateway)) out.push(formatIp(cur));
  }
  throw new Error('model did not terminate');
}

describe('candidates against a model of the reference iterator', () => {
  it('agrees for every starting point of a multi-range set', () => {
    const s = set(
      ['10.9.0.0/24', '10.9.0.10', '10.9.0.14', '10.9.0.12'],
      ['10.9.0.0/24', '10.9.0.30', '10.9.0.31'],
      ['10.9.0.0/24', '10.9.0.40', '10.9.0.44'],
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), (n) => {
        const last = ip(`10.9.0.${n}`);
        expect(order(s, `10.9.0.${n}`)).toEqual(referenceModel(s, last));
      }),
      { numRuns: 61 },
    );
    expect(order(s)).toEqual(referenceModel(s));
  });
});
