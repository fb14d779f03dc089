/**
 * The Go skel's guard against being handed its own network namespace (code 8): a plugin that set up
 * "the container" in its own netns would wreck the host's networking.
 */
import { statSync } from 'node:fs';
import { CniError, ErrorCode } from './errors.js';

const OWN_NETNS = '/proc/self/ns/net';

function identity(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Throws code 8 when `netnsPath` is the process's own network namespace (same st_dev/st_ino as
 * /proc/self/ns/net). An empty or unopenable path passes: DEL must work when the netns is gone.
 */
export function assertNotOwnNetns(netnsPath: string): void {
  if (netnsPath === '') return;
  const target = identity(netnsPath);
  if (target === undefined || target !== identity(OWN_NETNS)) return;
  throw new CniError(
    ErrorCode.InvalidNetNs,
    "plugin's netns and netns from CNI_NETNS should not be the same",
    { details: netnsPath },
  );
}
