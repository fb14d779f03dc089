/**
 * The Go skel's guard against being handed its own network namespace (code 8): a plugin that set up
 * "the container" in its own netns would wreck the host's networking.
 */
import { CniError, ErrorCode } from './errors.js';

const OWN_NETNS = '/proc/self/ns/net';

/** st_dev:st_ino of `path` with node:fs; undefined when it cannot be stat'ed. */
export function nodeFileId(path: string): Promise<string | undefined> {
  // Loaded here, not at start-up: VERSION and friends never need the file system. Synchronous: a
  // stat is cheaper than a thread-pool round trip.
  const { statSync } = process.getBuiltinModule('node:fs');
  try {
    const st = statSync(path, { bigint: true });
    return Promise.resolve(`${st.dev}:${st.ino}`);
  } catch {
    return Promise.resolve(undefined);
  }
}

/**
 * Throws code 8 when `netnsPath` is the process's own network namespace (same file identity as
 * /proc/self/ns/net). An empty or unopenable path passes: DEL must work when the netns is gone.
 */
export async function assertNotOwnNetns(
  netnsPath: string,
  fileId: (path: string) => Promise<string | undefined> = nodeFileId,
): Promise<void> {
  if (netnsPath === '') return;
  const target = await fileId(netnsPath);
  if (target === undefined || target !== (await fileId(OWN_NETNS))) return;
  throw new CniError(
    ErrorCode.InvalidNetNs,
    "plugin's netns and netns from CNI_NETNS should not be the same",
    { details: netnsPath },
  );
}
