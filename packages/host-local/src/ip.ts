/**
 * IP addresses as the reference host-local sees them, on top of @cnikit/netops's parser and
 * formatter. Go's rules differ from netops's in one place that matters here: `net.ParseIP` plus
 * host-local's `canonicalizeIP` turn an IPv4-mapped IPv6 address (`::ffff:10.1.2.3`) into IPv4,
 * and `net.IP.String()` prints it dotted. The store names its files by this text, so it must
 * match the reference byte for byte. Also here: netops' network arithmetic in the
 * `(address, prefix)` form the ranges keep.
 */
import {
  cidrContains,
  cidrLastAddress,
  cidrNetwork,
  formatIp as formatNetopsIp,
  tryParseCidr,
  tryParseIp,
  type IpAddress,
  type IpFamily,
} from '@cnikit/netops';

export type { IpAddress, IpFamily } from '@cnikit/netops';

/** A CIDR as written: the address with any host bits kept, the prefix length and the family of the text. */
export interface Cidr {
  /** The address part, canonicalized (an IPv4-mapped IPv6 address becomes IPv4). */
  readonly address: IpAddress;
  readonly prefix: number;
  /** 4 or 6 by how the text was written; differs from `address.family` for `::ffff:a.b.c.d/n`. */
  readonly maskFamily: IpFamily;
}

const isV4Mapped = (address: IpAddress): boolean =>
  address.family === 6 && address.value >> 32n === 0xffffn;

/** Folds an IPv4-mapped IPv6 address into IPv4, as Go's `To4()` does. */
function canonical(address: IpAddress): IpAddress {
  return isV4Mapped(address) ? { family: 4, value: address.value & 0xffffffffn } : address;
}

/** Parses an address as Go's `net.ParseIP` does, canonicalized; undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const address = tryParseIp(text);
  return address && canonical(address);
}

/** Parses `address/prefix` as Go's `net.ParseCIDR`, keeping host bits; undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const cidr = tryParseCidr(text);
  if (!cidr) return undefined;
  return {
    address: canonical(cidr.address),
    prefix: cidr.prefixLength,
    maskFamily: cidr.address.family,
  };
}

/** The canonical text of an address (Go's `net.IP.String()`). */
export const formatIp = (address: IpAddress): string => formatNetopsIp(canonical(address));

/** The canonical text of an address with a prefix length. */
export const formatCidr = (address: IpAddress, prefix: number): string =>
  `${formatIp(address)}/${prefix}`;

/** The address with every host bit cleared. */
export const networkOf = (address: IpAddress, prefix: number): IpAddress =>
  cidrNetwork({ address, prefixLength: prefix }).address;

/** The address with every host bit set (the IPv4 broadcast). */
export const lastOf = (address: IpAddress, prefix: number): IpAddress =>
  cidrLastAddress({ address, prefixLength: prefix }).address;

/** True when `address` lies in the network `network/prefix`. */
export const inNetwork = (address: IpAddress, network: IpAddress, prefix: number): boolean =>
  cidrContains({ address: network, prefixLength: prefix }, address);
