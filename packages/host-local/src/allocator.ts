/**
 * The allocation strategy, pure: which addresses of a range set to try and in what order, which
 * requested address goes to which range set, and how many addresses are left.
 *
 * Order as the reference's: round-robin from the address after the last reserved one (so a
 * crash-looping container does not get the same address back until the pool has gone round),
 * through the following ranges of the set, wrapping to the first; without a usable last
 * reservation, from the first range's start. The gateway is never handed out; unlike the
 * reference, neither is the network address nor the IPv4 broadcast, even when rangeStart or
 * rangeEnd names them.
 */
import { compareIp, ipEquals, nextIp, prevIp, type IpAddress } from '@cnikit/netops';
import { lastOf } from './ip.js';
import { rangeContains, type IpRange, type RangeSet } from './range.js';

/** An address to try, with the range that holds it. */
export interface Candidate {
  readonly address: IpAddress;
  readonly range: IpRange;
}

/** True for the addresses of a range that are never handed out. */
export function isReservedForNetwork(range: IpRange, address: IpAddress): boolean {
  if (ipEquals(address, range.gateway) || ipEquals(address, range.network)) return true;
  return range.family === 4 && ipEquals(address, lastOf(range.network, range.prefix));
}

function* walk(range: IpRange, from: IpAddress, to: IpAddress): Generator<Candidate> {
  for (let a = from; compareIp(a, to) <= 0; a = nextIp(a)) {
    if (!isReservedForNetwork(range, a)) yield { address: a, range };
    // nextIp wraps at the top of the family; stop before going round.
    if (ipEquals(a, to)) return;
  }
}

/** Every address of the set, once, in round-robin order after `lastReserved`. */
export function* candidates(set: RangeSet, lastReserved?: IpAddress): Generator<Candidate> {
  const n = set.length;
  let first = 0;
  let from = set[0]?.start;
  const holder = lastReserved ? set.findIndex((r) => rangeContains(r, lastReserved)) : -1;
  if (lastReserved && holder !== -1) {
    const range = set[holder] as IpRange;
    if (ipEquals(lastReserved, range.end)) {
      first = (holder + 1) % n;
      from = set[first]?.start;
    } else {
      first = holder;
      from = nextIp(lastReserved);
    }
  }
  if (from === undefined) return;
  for (let k = 0; k < n; k += 1) {
    const range = set[(first + k) % n] as IpRange;
    yield* walk(range, k === 0 ? from : range.start, range.end);
  }
  // Then the start of the first range, up to where we began.
  const firstRange = set[first] as IpRange;
  if (compareIp(from, firstRange.start) > 0) {
    yield* walk(firstRange, firstRange.start, prevIp(from));
  }
}

/** How many addresses of the set could still be handed out, given the reserved addresses. */
export function freeAddressCount(set: RangeSet, reserved: readonly IpAddress[]): bigint {
  let free = 0n;
  for (const range of set) {
    free += range.end.value - range.start.value + 1n;
    const unusable = [range.gateway, range.network, lastOf(range.network, range.prefix)];
    const distinct = unusable.filter((a, i) => unusable.findIndex((b) => ipEquals(a, b)) === i);
    free -= BigInt(
      distinct.filter((a) => rangeContains(range, a) && isReservedForNetwork(range, a)).length,
    );
  }
  for (const address of reserved) {
    const range = set.find((r) => rangeContains(r, address));
    if (range && !isReservedForNetwork(range, address)) free -= 1n;
  }
  return free;
}

/**
 * Gives each range set the first still-unassigned requested address it holds; the rest are
 * returned as `unassigned` (the reference fails the ADD naming them).
 */
export function assignRequested(
  sets: readonly RangeSet[],
  requested: readonly IpAddress[],
): { perSet: Array<IpAddress | undefined>; unassigned: IpAddress[] } {
  const left = [...requested];
  const perSet = sets.map((set) => {
    const i = left.findIndex((a) => set.some((r) => rangeContains(r, a)));
    return i === -1 ? undefined : left.splice(i, 1)[0];
  });
  return { perSet, unassigned: left };
}
