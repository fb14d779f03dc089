/**
 * IPv4/IPv6 addresses with a prefix length ("10.1.2.5/24", "fd00::5/64"): strict parsing (so that
 * nothing odd reaches a restore or nft text), masking to the network, and the canonical text forms
 * iptables-save and nft print (RFC 5952, as glibc's inet_ntop writes it).
 */
import { invalidInput } from './errors.js';

export type IpFamily = 4 | 6;

/** A parsed address with prefix; `bytes` holds 4 or 16 octets. */
export interface IpPrefix {
  family: IpFamily;
  bytes: readonly number[];
  prefixLength: number;
}

const IPV4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => IPV4_OCTET.test(p))) return undefined;
  return parts.map(Number);
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (HEX_GROUP.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  let groups: number[];
  if (halves.length === 1) {
    const all = parseGroups(text);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  } else if (halves.length === 2) {
    const head = parseGroups(halves[0] ?? '');
    const tail = parseGroups(halves[1] ?? '');
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    return undefined;
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Parses a bare address (no prefix); undefined when it is not a valid IPv4 or IPv6 address. */
export function parseAddress(text: string): { family: IpFamily; bytes: number[] } | undefined {
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 ? { family: 6, bytes: v6 } : undefined;
}

/** Parses "address/prefix" (host bits allowed); throws an invalid-input NetfilterError. */
export function parseIpPrefix(text: string): IpPrefix {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? undefined : parseAddress(text.slice(0, slash));
  const lenText = slash < 0 ? '' : text.slice(slash + 1);
  if (!addr || !/^(0|[1-9]\d{0,2})$/.test(lenText))
    throw invalidInput(`invalid IP address with prefix ${JSON.stringify(text)}`);
  const prefixLength = Number(lenText);
  if (prefixLength > addr.bytes.length * 8)
    throw invalidInput(`invalid prefix length in ${JSON.stringify(text)}`);
  return { family: addr.family, bytes: addr.bytes, prefixLength };
}

/** The same prefix with its host bits cleared (10.1.2.5/24 -> 10.1.2.0/24). */
export function networkOf(ip: IpPrefix): IpPrefix {
  const bytes = ip.bytes.map((b, i) => {
    const bitsHere = Math.min(8, Math.max(0, ip.prefixLength - i * 8));
    return b & ((0xff << (8 - bitsHere)) & 0xff);
  });
  return { ...ip, bytes };
}

function formatIpv6(bytes: readonly number[]): string {
  const words = Array.from(
    { length: 8 },
    (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0),
  );
  // The longest run (first on ties) of at least two zero words becomes "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j += 1;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  // glibc prints IPv4-compatible and IPv4-mapped addresses with a dotted tail.
  const dottedTail = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
  const hex = (from: number, to: number): string[] =>
    words.slice(from, to).map((w) => w.toString(16));
  if (dottedTail) {
    const v4 = bytes.slice(12).join('.');
    return bestLen === 6 ? `::${v4}` : `::ffff:${v4}`;
  }
  if (bestStart < 0) return hex(0, 8).join(':');
  return `${hex(0, bestStart).join(':')}::${hex(bestStart + bestLen, 8).join(':')}`;
}

/** The canonical text of the address alone. */
export function formatAddress(ip: Pick<IpPrefix, 'family' | 'bytes'>): string {
  return ip.family === 4 ? ip.bytes.join('.') : formatIpv6(ip.bytes);
}

/** The canonical "address/prefix" text. */
export function formatPrefix(ip: IpPrefix): string {
  return `${formatAddress(ip)}/${ip.prefixLength}`;
}

/** The address as a host prefix (/32 or /128), as iptables shows a source given without mask. */
export function hostPrefix(ip: IpPrefix): IpPrefix {
  return { ...ip, prefixLength: ip.bytes.length * 8 };
}

/**
 * Rewrites an address or prefix as iptables-save/nft print it (so texts from the kernel and from
 * us compare equal); text that is not an address is returned unchanged.
 */
export function canonicalAddressText(text: string): string {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseAddress(addrText);
  if (!addr) return text;
  return slash < 0 ? formatAddress(addr) : `${formatAddress(addr)}${text.slice(slash)}`;
}
