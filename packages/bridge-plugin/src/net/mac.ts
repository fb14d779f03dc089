/**
 * Container MAC addresses: read with Go's net.ParseMAC rules (the reference's parser) and checked
 * the way the kernel will check them, so a bad value is refused before anything is created.
 */
import { BridgeError } from '../errors.js';

const GROUP_SEPARATED = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(?:\1[0-9a-fA-F]{2})*$/;
const DOTTED = /^[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4})+$/;

/**
 * Parses a hardware address as Go's net.ParseMAC does (6, 8 or 20 octets; `:` or `-` separated
 * pairs, or dotted quads). Returns the octets, or undefined when Go would refuse it.
 */
export function parseGoMac(text: string): number[] | undefined {
  let hex: string;
  const sep = GROUP_SEPARATED.exec(text);
  if (sep !== null) {
    hex = text.split(sep[1] as string).join('');
  } else if (DOTTED.test(text)) {
    hex = text.split('.').join('');
  } else {
    return undefined;
  }
  const octets = hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? [];
  return octets.length === 6 || octets.length === 8 || octets.length === 20 ? octets : undefined;
}

/** Lower-case colon form of octets (`0a:58:0a:01:02:05`). */
export const formatMac = (octets: readonly number[]): string =>
  octets.map((o) => o.toString(16).padStart(2, '0')).join(':');

/**
 * Validates a requested container MAC and returns it in canonical form. Error texts are the ones
 * the reference returns when Go or the kernel refuses the address.
 * @throws BridgeError `failed to make veth pair: ...`
 */
export function containerMac(text: string): string {
  const octets = parseGoMac(text);
  if (octets === undefined)
    throw new BridgeError(`failed to make veth pair: address ${text}: invalid MAC address`);
  if (octets.length !== 6) throw new BridgeError('failed to make veth pair: invalid argument');
  const multicast = ((octets[0] ?? 0) & 1) === 1;
  if (multicast || octets.every((o) => o === 0))
    throw new BridgeError('failed to make veth pair: cannot assign requested address');
  return formatMac(octets);
}

/** True for 00:00:00:00:00:00 (a bridge that lost its last port and was never pinned). */
export const isZeroMac = (mac: string | undefined): boolean =>
  mac === undefined || /^(?:00:){5}00$/.test(mac);

/** A random locally administered unicast MAC (for pinning a bridge that has none). */
export function randomLocalMac(randomBytes: (n: number) => Uint8Array): string {
  const octets = [...randomBytes(6)];
  octets[0] = ((octets[0] ?? 0) & 0xfe) | 0x02;
  return formatMac(octets);
}
