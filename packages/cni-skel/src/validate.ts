/** The Go reference's checks of names: network name, container ID, interface name. */
import { CniError, ErrorCode } from './errors.js';

// These checks run on every call, before anything else: character loops, because a regular
// expression is compiled on its first use, which costs a plugin executable start-up time.

/** Go utils' `^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$`, for network names and container IDs. */
function isValidName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alphanumeric =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alphanumeric && (i === 0 || (c !== 0x5f && c !== 0x2e && c !== 0x2d))) return false;
  }
  return true;
}

/** Go's unicode.IsSpace: the Unicode White_Space property. */
function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Whether an interface name has `/`, `:` or whitespace, which Go's ValidateInterfaceName refuses. */
function hasBadIfnameChar(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2f || c === 0x3a || isSpace(c)) return true;
  }
  return false;
}

const MAX_IFNAME_BYTES = 15;

/** The length of `text` in UTF-8 (a lone surrogate as the 3 bytes of U+FFFD, as TextEncoder). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Throws code 7 unless `name` is a valid network name. */
export function validateNetworkName(name: string): void {
  if (name === '') throw new CniError(ErrorCode.InvalidNetworkConfig, 'missing network name');
  if (!isValidName(name))
    throw new CniError(ErrorCode.InvalidNetworkConfig, 'invalid characters found in network name', {
      details: name,
    });
}

/** Throws code 4 unless `id` is a valid container ID (code 3 when empty, as Go's runtime side). */
export function validateContainerId(id: string): void {
  if (id === '') throw new CniError(ErrorCode.UnknownContainer, 'missing containerID');
  if (!isValidName(id))
    throw new CniError(ErrorCode.InvalidEnvironmentVariables, 'invalid characters in containerID', {
      details: id,
    });
}

/** Throws code 4 unless `name` is usable as a Linux interface name (Go ValidateInterfaceName). */
export function validateInterfaceName(name: string): void {
  const fail = (msg: string, details?: string): never => {
    throw new CniError(ErrorCode.InvalidEnvironmentVariables, msg, { details });
  };
  if (name === '') fail('interface name is empty');
  if (utf8Length(name) > MAX_IFNAME_BYTES)
    fail(
      'interface name is too long',
      `interface name should be less than ${MAX_IFNAME_BYTES + 1} characters`,
    );
  if (name === '.' || name === '..') fail('interface name is . or ..');
  if (hasBadIfnameChar(name)) fail('interface name contains / or : or whitespace characters');
}
