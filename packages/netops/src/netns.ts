/**
 * Network namespaces given by path. CNI_NETNS may be any nsfs path (/run/netns/x, /proc/PID/ns/net),
 * so netops never assumes a named netns. A path is checked with statfs: missing (ENOENT) and
 * "exists but is not a namespace" (another filesystem magic) are different errors, because a DEL
 * must treat the first as "already gone" and the second as a real fault.
 */
import { NetopsError } from './errors.js';
import { assertNetnsPath } from './validate.js';

/** Filesystem magic of nsfs (`statfs(2)` `f_type`), from linux/magic.h. */
export const NSFS_MAGIC = 0x6e736673;

/** An opened (checked) namespace path and its identity. */
export interface NetnsHandle {
  readonly path: string;
  /** Device and inode of the namespace: equal for two paths of the same namespace. */
  readonly dev: number;
  readonly ino: number;
}

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
}

/**
 * Checks that `path` is a network namespace (nsfs). Throws a NetopsError (stage `netns`) of kind
 * `not-found` when the path does not exist, `invalid` when it is not a namespace (or not a path
 * netops accepts), `failed` otherwise (e.g. EACCES).
 */
export async function openNetns(path: string): Promise<NetnsHandle> {
  assertNetnsPath(path);
  try {
    // Loaded on first use: importing netops must not load node:fs (nor, by import(), Node's ESM
    // loader).
    const { stat, statfs } = process.getBuiltinModule('node:fs/promises');
    const fs = await statfs(path);
    if (fs.type !== NSFS_MAGIC)
      throw new NetopsError(
        `${path} is not a network namespace (fs type 0x${fs.type.toString(16)})`,
        {
          kind: 'invalid',
          stage: 'netns',
          netns: path,
        },
      );
    const st = await stat(path);
    return { path, dev: st.dev, ino: st.ino };
  } catch (err) {
    if (NetopsError.is(err)) throw err;
    const code = errnoOf(err);
    throw new NetopsError(`cannot open network namespace ${path}: ${code}`, {
      kind: code === 'ENOENT' || code === 'ENOTDIR' ? 'not-found' : 'failed',
      stage: 'netns',
      netns: path,
      cause: err,
    });
  }
}

/**
 * The path of this process's own network namespace as seen by other processes
 * (`/proc/<pid>/ns/net`): a target for `peerNetns` when a veth is created from inside a container
 * with its peer put back into the plugin's namespace. (Inside `nsenter`, /proc/self is the child,
 * so /proc/self/ns/net would name the container.)
 */
export function ownNetnsPath(pid: number = process.pid): string {
  return `/proc/${pid}/ns/net`;
}

/** True when both paths name the same namespace (same nsfs device and inode). */
export async function sameNetns(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([openNetns(a), openNetns(b)]);
  return x.dev === y.dev && x.ino === y.ino;
}
