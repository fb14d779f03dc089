/**
 * IPv4 / IPv6 addresses and CIDRs: strict parsing, canonical text (RFC 5952 compressed IPv6),
 * and the arithmetic plugins need for gateways (network address, first host, overlap). Values are
 * plain immutable objects holding the address as a bigint, so they compare and serialise simply.
 */
import { invalid } from './errors.js';
import { isHexDigits, isPlainDecimal } from './text-scan.js';

/** 4 or 6. */
export type IpFamily = 4 | 6;

/** An IP address. `value` is the address as an unsigned integer (32 or 128 bits). */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/**
 * An address with a prefix length, as in `10.1.2.5/24`. The host bits are kept (this is how
 * addresses are assigned); {@link cidrNetwork} clears them.
 */
export interface IpCidr {
  readonly address: IpAddress;
  readonly prefixLength: number;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** The number of bits in an address of `family`. */
export function familyBits(family: IpFamily): number {
  return BITS[family];
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are refused: "010" is octal to some parsers and decimal to others.
    if (!isPlainDecimal(part, 3)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseHextets(groups: readonly string[]): number[] | undefined {
  const out: number[] = [];
  for (const g of groups) {
    if (!isHexDigits(g, 4)) return undefined;
    out.push(parseInt(g, 16));
  }
  return out;
}

function parseV6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  let head = text;
  let tail4: bigint | undefined;
  // An embedded IPv4 address may end the text (::ffff:10.1.2.3).
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail4 = parseV4(text.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const [l = '', r = ''] = halves;
    const left = l === '' ? [] : parseHextets(l.split(':'));
    const right = r === '' ? [] : parseHextets(r.split(':'));
    if (!left || !right) return undefined;
    const missing = 8 - left.length - right.length;
    // "::" stands for at least one zero group.
    if (missing < 1) return undefined;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  } else {
    const all = parseHextets(head.split(':'));
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  if (tail4 !== undefined) value = (value & ~0xffffffffn) | tail4;
  return value;
}

/** Parses an address, or returns undefined. Zones (`fe80::1%eth0`) and IPv4 leading zeros are refused. */
export function tryParseIp(text: string): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    const value = parseV6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseV4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** Parses an address; throws a NetopsError of kind `invalid`. */
export function parseIp(text: string): IpAddress {
  const ip = tryParseIp(text);
  if (!ip) throw invalid(`invalid IP address ${JSON.stringify(text)}`);
  return ip;
}

/** Parses `ADDRESS/PREFIX`, or returns undefined. The prefix is required. */
export function tryParseCidr(text: string): IpCidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = tryParseIp(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (!address || !isPlainDecimal(prefix, 3)) return undefined;
  const prefixLength = Number(prefix);
  if (prefixLength > BITS[address.family]) return undefined;
  return { address, prefixLength };
}

/** Parses `ADDRESS/PREFIX`; throws a NetopsError of kind `invalid`. */
export function parseCidr(text: string): IpCidr {
  const cidr = tryParseCidr(text);
  if (!cidr) throw invalid(`invalid CIDR ${JSON.stringify(text)}`);
  return cidr;
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

/** Which IPv6 addresses are written with a dotted IPv4 tail. */
type DottedTail = 'mapped' | 'mapped-or-compatible';

function formatV6(value: bigint, dotted: DottedTail): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // IPv4-mapped addresses keep their dotted tail (RFC 5952 §5).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return `::ffff:${formatV4(value & 0xffffffffn)}`;
  // glibc also writes the deprecated IPv4-compatible form (::a.b.c.d, above ::ffff) dotted.
  if (dotted === 'mapped-or-compatible' && value >> 32n === 0n && value >> 16n !== 0n)
    return `::${formatV4(value)}`;
  // The longest run of two or more zero groups (the first one on a tie) becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

/** Canonical text: dotted quad, or RFC 5952 compressed lowercase IPv6. */
export function formatIp(ip: IpAddress): string {
  return ip.family === 4 ? formatV4(ip.value) : formatV6(ip.value, 'mapped');
}

/**
 * The text glibc's `inet_ntop` writes, which is what `iptables-save` and `nft` print: the same as
 * {@link formatIp} except that an IPv4-compatible address keeps a dotted tail (`::1.2.3.4`, where
 * formatIp writes `::102:304`). Use it to compare against those tools' output.
 */
export function formatIpInetNtop(ip: IpAddress): string {
  return ip.family === 4 ? formatV4(ip.value) : formatV6(ip.value, 'mapped-or-compatible');
}

/** Canonical `ADDRESS/PREFIX` (host bits kept). */
export function formatCidr(cidr: IpCidr): string {
  return `${formatIp(cidr.address)}/${cidr.prefixLength}`;
}

/** `ADDRESS/PREFIX` with the address as {@link formatIpInetNtop} writes it (host bits kept). */
export function formatCidrInetNtop(cidr: IpCidr): string {
  return `${formatIpInetNtop(cidr.address)}/${cidr.prefixLength}`;
}

/** Normalises address text to its canonical form; throws `invalid` on bad input. */
export function canonicalIp(text: string): string {
  return formatIp(parseIp(text));
}

/** Normalises CIDR text to its canonical form (host bits kept); throws `invalid` on bad input. */
export function canonicalCidr(text: string): string {
  return formatCidr(parseCidr(text));
}

function mask(family: IpFamily, prefixLength: number): bigint {
  const bits = BigInt(BITS[family]);
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(prefixLength))) & all;
}

/** The network of a CIDR: host bits cleared (`10.1.2.5/24` gives `10.1.2.0/24`). */
export function cidrNetwork(cidr: IpCidr): IpCidr {
  const { family, value } = cidr.address;
  return {
    address: { family, value: value & mask(family, cidr.prefixLength) },
    prefixLength: cidr.prefixLength,
  };
}

/**
 * The first host of the CIDR's network, network address + 1, with the same prefix: the default
 * gateway the bridge plugin computes (`10.1.2.5/24` gives `10.1.2.1/24`). For /32 and /128 there
 * is no such host: a `invalid` NetopsError is thrown.
 */
export function cidrFirstHost(cidr: IpCidr): IpCidr {
  const net = cidrNetwork(cidr);
  if (cidr.prefixLength >= BITS[cidr.address.family])
    throw invalid(`${formatCidr(cidr)} has no host after its network address`);
  return {
    address: { family: net.address.family, value: net.address.value + 1n },
    prefixLength: cidr.prefixLength,
  };
}

/** True when `ip` lies inside the network of `cidr`. */
export function cidrContains(cidr: IpCidr, ip: IpAddress): boolean {
  if (cidr.address.family !== ip.family) return false;
  const m = mask(ip.family, cidr.prefixLength);
  return (cidr.address.value & m) === (ip.value & m);
}

/** True when the two networks share any address (one contains the other). */
export function cidrsOverlap(a: IpCidr, b: IpCidr): boolean {
  if (a.address.family !== b.address.family) return false;
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  const m = mask(a.address.family, shorter);
  return (a.address.value & m) === (b.address.value & m);
}

/** True when both addresses are the same (family and value). */
export function ipEquals(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

/** True when both CIDRs have the same address and prefix length. */
export function cidrEquals(a: IpCidr, b: IpCidr): boolean {
  return a.prefixLength === b.prefixLength && ipEquals(a.address, b.address);
}

/** The family of an address or CIDR text, or undefined when it is neither. */
export function familyOf(text: string): IpFamily | undefined {
  return (tryParseCidr(text)?.address ?? tryParseIp(text))?.family;
}
