/**
 * Guards for every value that is written into an iptables-restore or nft script. They accept the
 * same names the CNI skel accepts and refuse anything that could break out of a quoted string or
 * a line (quotes, backslashes, whitespace, newlines).
 */
import { assertNetnsPath, tryParseCidr, type IpCidr } from '@cnikit/netops';
import { invalidInput } from './errors.js';

/** The skel's rule for network names and container IDs. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/**
 * Linux interface names are 1-15 bytes; we also keep to characters that are valid in an nft
 * identifier, since the spoof check puts the name into chain names.
 */
const IFNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;
const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
/** Longest name or ID accepted: keeps comments within iptables' 255 characters. */
const MAX_NAME = 100;

/** Checks a network name. */
export function validateNetworkName(name: string): string {
  if (typeof name !== 'string' || !NAME.test(name) || name.length > MAX_NAME)
    throw invalidInput(`invalid network name ${JSON.stringify(name)}`);
  return name;
}

/** Checks a container ID. */
export function validateContainerId(id: string): string {
  if (typeof id !== 'string' || !NAME.test(id) || id.length > MAX_NAME)
    throw invalidInput(`invalid container ID ${JSON.stringify(id)}`);
  return id;
}

/** Checks an interface name (container or host side). */
export function validateIfName(name: string): string {
  if (typeof name !== 'string' || !IFNAME.test(name) || name === '.' || name === '..')
    throw invalidInput(`invalid interface name ${JSON.stringify(name)}`);
  return name;
}

/** Checks a MAC address and returns it in lowercase (as nft prints it). */
export function validateMac(mac: string): string {
  if (typeof mac !== 'string' || !MAC.test(mac))
    throw invalidInput(`invalid MAC address ${JSON.stringify(mac)}`);
  return mac.toLowerCase();
}

/** Checks that a list really is an array (callers may be plain JavaScript). */
export function validateList<T>(list: readonly T[], what: string): readonly T[] {
  const value: unknown = list;
  if (!Array.isArray(value)) throw invalidInput(`${what} must be an array`);
  return list;
}

/**
 * Parses the container's addresses ("10.1.2.5/24", host bits kept), strictly (no zones, no IPv4
 * leading zeros), so that nothing odd reaches a restore or nft text.
 */
export function validateIps(ips: readonly string[]): IpCidr[] {
  return validateList(ips, 'ips').map((ip) => {
    if (typeof ip !== 'string') throw invalidInput(`invalid IP ${JSON.stringify(ip)}`);
    const cidr = tryParseCidr(ip);
    if (!cidr) throw invalidInput(`invalid IP address with prefix ${JSON.stringify(ip)}`);
    return cidr;
  });
}

/**
 * Checks a namespace path handed to nsenter by the rule of netops' runners (absolute, no `..`,
 * no blanks, control characters, quotes, `#` or backslash), so that a path this package accepts
 * is one the default runner accepts too.
 */
export function validateNetnsPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return assertNetnsPath(path);
  } catch (cause) {
    throw invalidInput(`invalid network namespace path ${JSON.stringify(path)}`, cause);
  }
}
