/** The Go reference's checks of names: network name, container ID, interface name. */
import { CniError, ErrorCode } from './errors.js';

// Go utils: ^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$ for network names and container IDs.
const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// Go unicode.IsSpace is exactly the Unicode White_Space property.
const BAD_IFNAME_CHAR = /[/:\p{White_Space}]/u;
const MAX_IFNAME_BYTES = 15;

/** Throws code 7 unless `name` is a valid network name. */
export function validateNetworkName(name: string): void {
  if (name === '') throw new CniError(ErrorCode.InvalidNetworkConfig, 'missing network name');
  if (!VALID_NAME.test(name))
    throw new CniError(ErrorCode.InvalidNetworkConfig, 'invalid characters found in network name', {
      details: name,
    });
}

/** Throws code 4 unless `id` is a valid container ID (code 3 when empty, as Go's runtime side). */
export function validateContainerId(id: string): void {
  if (id === '') throw new CniError(ErrorCode.UnknownContainer, 'missing containerID');
  if (!VALID_NAME.test(id))
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
  if (new TextEncoder().encode(name).length > MAX_IFNAME_BYTES)
    fail(
      'interface name is too long',
      `interface name should be less than ${MAX_IFNAME_BYTES + 1} characters`,
    );
  if (name === '.' || name === '..') fail('interface name is . or ..');
  if (BAD_IFNAME_CHAR.test(name)) fail('interface name contains / or : or whitespace characters');
}
