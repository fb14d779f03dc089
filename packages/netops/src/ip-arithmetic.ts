/**
 * Address arithmetic for allocators and rule builders: ordering, stepping through a family, the
 * last address of a network, and an address as a host CIDR. Pure functions on the values of
 * `ip-address.ts`; nothing here parses or prints.
 */
import { cidrNetwork, familyBits, type IpAddress, type IpCidr } from './ip-address.js';

/**
 * Orders addresses: every IPv4 address before every IPv6 one, then by numeric value. Negative,
 * zero or positive, so it can be given to `Array.prototype.sort`.
 */
export function compareIp(a: IpAddress, b: IpAddress): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * `ip + delta` (delta may be negative), wrapping inside the family as Go's `ip.NextIP` and
 * `ip.PrevIP` do: `255.255.255.255 + 1` is `0.0.0.0`. Callers walking a range stop at its end.
 */
export function offsetIp(ip: IpAddress, delta: bigint): IpAddress {
  const modulo = 1n << BigInt(familyBits(ip.family));
  return { family: ip.family, value: (((ip.value + delta) % modulo) + modulo) % modulo };
}

/** The address after `ip`, wrapping at the top of the family (see {@link offsetIp}). */
export function nextIp(ip: IpAddress): IpAddress {
  return offsetIp(ip, 1n);
}

/** The address before `ip`, wrapping at the bottom of the family (see {@link offsetIp}). */
export function prevIp(ip: IpAddress): IpAddress {
  return offsetIp(ip, -1n);
}

/**
 * The last address of the CIDR's network, every host bit set (for IPv4, the broadcast), with the
 * same prefix: `10.1.2.5/24` gives `10.1.2.255/24`. The counterpart of `cidrNetwork`.
 */
export function cidrLastAddress(cidr: IpCidr): IpCidr {
  const { address, prefixLength } = cidrNetwork(cidr);
  const hostMask = (1n << BigInt(familyBits(address.family) - prefixLength)) - 1n;
  return { address: { family: address.family, value: address.value | hostMask }, prefixLength };
}

/** The address alone as a CIDR: `/32` for IPv4, `/128` for IPv6. */
export function hostCidr(ip: IpAddress): IpCidr {
  return { address: ip, prefixLength: familyBits(ip.family) };
}
