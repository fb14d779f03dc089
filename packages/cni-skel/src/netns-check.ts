/**
 * The Go skel's guard against being handed its own network namespace (code 8): a plugin that set up
 * "the container" in its own netns would wreck the host's networking.
 */
import { CniError, ErrorCode } from './errors.js';

const OWN_NETNS = '/proc/self/ns/net';

async function identity(path: string): Promise<string | undefined> {
  // Loaded here, not at start-up: VERSION and friends never need the file system.
  const { stat } = await import('node:fs/promises');
  try {
    const st = await stat(path, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Throws code 8 when `netnsPath` is the process's own network namespace (same st_dev/st_ino as
 * /proc/self/ns/net). An empty or unopenable path passes: DEL must work when the netns is gone.
 */
export async function assertNotOwnNetns(netnsPath: string): Promise<void> {
  if (netnsPath === '') return;
  const target = await identity(netnsPath);
  if (target === undefined || target !== (await identity(OWN_NETNS))) return;
  throw new CniError(
    ErrorCode.InvalidNetNs,
    "plugin's netns and netns from CNI_NETNS should not be the same",
    { details: netnsPath },
  );
}
