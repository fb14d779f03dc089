/**
 * Address ranges and range sets: defaults, validation and containment, with the reference's
 * rules and messages (a range is `subnet` plus an inclusive `rangeStart`..`rangeEnd` and a gateway;
 * a range set is the pool of one address of an attachment).
 */
import { compareIp, familyBits, ipEquals, nextIp, prevIp } from '@cnikit/netops';
import {
  formatCidr,
  formatIp,
  inNetwork,
  lastOf,
  networkOf,
  type Cidr,
  type IpAddress,
  type IpFamily,
} from './ip.js';
import { configError } from './errors.js';

/** A range as configured, its addresses already parsed; anything left out gets a default. */
export interface RangeInput {
  subnet?: Cidr | undefined;
  rangeStart?: IpAddress | undefined;
  rangeEnd?: IpAddress | undefined;
  gateway?: IpAddress | undefined;
}

/** A validated range with its defaults filled in. */
export interface IpRange {
  readonly family: IpFamily;
  /** The network address of the subnet. */
  readonly network: IpAddress;
  readonly prefix: number;
  /** First address to hand out, inclusive. */
  readonly start: IpAddress;
  /** Last address to hand out, inclusive. */
  readonly end: IpAddress;
  /** Never handed out; returned with every address of the range. */
  readonly gateway: IpAddress;
}

/** The pool of one address: ranges of one family that do not overlap. */
export type RangeSet = readonly IpRange[];

interface Bounds {
  network: IpAddress;
  prefix: number;
  start?: IpAddress | undefined;
  end?: IpAddress | undefined;
}

function withinBounds(bounds: Bounds, address: IpAddress): boolean {
  if (!inNetwork(address, bounds.network, bounds.prefix)) return false;
  if (bounds.start && compareIp(address, bounds.start) < 0) return false;
  if (bounds.end && compareIp(address, bounds.end) > 0) return false;
  return true;
}

/**
 * Validates a range and fills in the gateway (network+1), start (network+1) and end (last host).
 * Throws a `config` HostLocalError with the reference's text; the caller names the range set.
 */
export function canonicalizeRange(input: RangeInput): IpRange {
  const subnet = input.subnet;
  if (!subnet) throw configError('subnet is required');
  const { address, prefix, maskFamily } = subnet;
  const text = formatCidr(address, prefix);
  // A /31 or /32 (/127, /128) leaves nothing between the network and the last address.
  if (prefix > familyBits(maskFamily) - 2) {
    throw configError(`Network ${text} too small to allocate from`);
  }
  if (maskFamily !== address.family) throw configError('IPNet IP and Mask version mismatch');
  const network = networkOf(address, prefix);
  if (!ipEquals(network, address)) {
    throw configError(
      `Network has host bits set. For a subnet mask of length ${prefix} the network address is ${formatIp(network)}`,
    );
  }
  const cidr = formatCidr(network, prefix);
  const gateway = input.gateway ?? nextIp(network);
  // As in the reference, each bound is checked against the other one as configured.
  const bounds: Bounds = { network, prefix, start: input.rangeStart, end: input.rangeEnd };
  if (input.rangeStart && !withinBounds(bounds, input.rangeStart)) {
    throw configError(`RangeStart ${formatIp(input.rangeStart)} not in network ${cidr}`);
  }
  const start = input.rangeStart ?? nextIp(network);
  bounds.start = start;
  if (input.rangeEnd && !withinBounds(bounds, input.rangeEnd)) {
    throw configError(`RangeEnd ${formatIp(input.rangeEnd)} not in network ${cidr}`);
  }
  const last = lastOf(network, prefix);
  const end = input.rangeEnd ?? (network.family === 4 ? prevIp(last) : last);
  return { family: network.family, network, prefix, start, end, gateway };
}

/** True when `address` is between the range's start and end (inclusive). */
export const rangeContains = (range: IpRange, address: IpAddress): boolean =>
  withinBounds(
    { network: range.network, prefix: range.prefix, start: range.start, end: range.end },
    address,
  );

/** `start-end`, as the reference prints a range. */
export const formatRange = (range: IpRange): string =>
  `${formatIp(range.start)}-${formatIp(range.end)}`;

/** True when the two ranges share an address (never across families). */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  if (a.family !== b.family) return false;
  return (
    rangeContains(a, b.start) ||
    rangeContains(a, b.end) ||
    rangeContains(b, a.start) ||
    rangeContains(b, a.end)
  );
}

/** Validates a range set: at least one range, one family, no overlap inside. */
export function canonicalizeRangeSet(inputs: readonly RangeInput[]): RangeSet {
  if (inputs.length === 0) throw configError('empty range set');
  const set = inputs.map(canonicalizeRange);
  const family = set[0]?.family;
  if (set.some((r) => r.family !== family)) throw configError('mixed address families');
  set.forEach((a, i) => {
    for (const b of set.slice(i + 1)) {
      if (rangesOverlap(a, b)) {
        throw configError(`subnets ${formatRange(a)} and ${formatRange(b)} overlap`);
      }
    }
  });
  return set;
}

/** The range of the set holding `address`, if any. */
export const rangeFor = (set: RangeSet, address: IpAddress): IpRange | undefined =>
  set.find((r) => rangeContains(r, address));

/** True when some range of the set holds `address`. */
export const rangeSetContains = (set: RangeSet, address: IpAddress): boolean =>
  rangeFor(set, address) !== undefined;

/** True when a range of one set overlaps a range of the other. */
export const rangeSetsOverlap = (a: RangeSet, b: RangeSet): boolean =>
  a.some((ra) => b.some((rb) => rangesOverlap(ra, rb)));

/** The ranges joined by commas, as the reference prints a range set. */
export const formatRangeSet = (set: RangeSet): string => set.map(formatRange).join(',');
