/**
 * Work inside another network namespace without `nsenter`: the main thread enters the namespace
 * with setns(2), does synchronous work (spawn a child, write /proc/sys files) and goes back, with
 * nothing else running in between (the reference's `netns.Do` on a locked OS thread). Bun.spawn
 * forks from the calling thread, so a child is born in the namespace; that is checked on
 * /proc/PID/ns/net before the child gets its stdin, and a child found elsewhere is killed. Saves
 * the `nsenter` and `sh` processes of every container-side step.
 *
 * Also the netlink sockets of netops' in-process batches, made the same way.
 *
 * Only for the Bun executable (setns and the file calls through bun:ffi from glibc, see libc.ts).
 * When libc cannot be opened, or the namespace file cannot, callers fall back to `nsenter` and a
 * shell.
 */
import {
  netlinkConnection,
  type NetlinkOpener,
  type NetnsEnter,
  type SyncSysctlFiles,
} from '@cnikit/netops';
import type { BunSubprocess } from './bun-api.js';
import { CLONE_NEWNET, loadLibc, type Libc } from './libc.js';

/** The namespace could not be entered here: the caller uses nsenter instead. */
export class NetnsEntryUnavailable extends Error {}

/**
 * Runs `work` with the calling thread inside the network namespace at `netnsPath`; `work` gets the
 * namespace's file id (to check children against).
 * @throws NetnsEntryUnavailable when the namespace cannot be entered here.
 */
async function withNetns<T>(netnsPath: string, work: (libc: Libc, id: string) => T): Promise<T> {
  const libc = await loadLibc();
  if (libc === undefined) throw new NetnsEntryUnavailable('setns is not available');
  let target: number;
  try {
    target = libc.openRead(netnsPath);
  } catch (err) {
    throw new NetnsEntryUnavailable(`cannot open ${netnsPath}`, { cause: err });
  }
  let home: number | undefined;
  try {
    home = libc.openRead('/proc/thread-self/ns/net');
    const id = libc.fileId(target);
    try {
      libc.setns(target, CLONE_NEWNET);
    } catch (err) {
      throw new NetnsEntryUnavailable(`setns(${netnsPath}) failed`, { cause: err });
    }
    try {
      return work(libc, id);
    } finally {
      // Staying in the container's namespace would send every later host step there.
      try {
        libc.setns(home, CLONE_NEWNET);
      } catch {
        process.stderr.write('bridge: cannot return to the host network namespace\n');
        process.abort();
      }
    }
  } finally {
    libc.close(target);
    if (home !== undefined) libc.close(home);
  }
}

/**
 * Starts a child inside the namespace at `netnsPath` (its stdin a pipe the caller feeds after).
 * @throws NetnsEntryUnavailable when the namespace cannot be entered here (use nsenter);
 * an Error when the child turned out to be in another namespace (it is killed).
 */
export async function spawnInNetns(
  netnsPath: string,
  spawn: () => BunSubprocess,
): Promise<BunSubprocess> {
  const { child, id, libc } = await withNetns(netnsPath, (libc, id) => ({
    child: spawn(),
    id,
    libc,
  }));
  let got: string | undefined;
  try {
    got = libc.fileId(`/proc/${child.pid}/ns/net`);
  } catch {
    // Already gone: it never read its stdin, so its exit status tells what happened.
  }
  if (got !== undefined && got !== id) {
    child.kill(9);
    throw new Error(`a child meant for ${netnsPath} started in another network namespace`);
  }
  return child;
}

/** netops' {@link NetnsEnter} on setns: /proc/sys written with synchronous calls of this thread. */
export const enterNetns: NetnsEnter = async (netns, work) => {
  try {
    return await withNetns(netns, (libc) => {
      const files: SyncSysctlFiles = {
        read: (path) => libc.readFile(path),
        write: (path, text) => libc.writeFile(path, text),
      };
      return { value: work(files) };
    });
  } catch (err) {
    if (err instanceof NetnsEntryUnavailable) return undefined;
    throw err;
  }
};

/** Datagrams of one answer stay below this (a dump part is at most 32 KiB). */
const RECEIVE_BUFFER = 64 * 1024;

/**
 * netops' {@link NetlinkOpener}: a NETLINK_ROUTE socket created inside the namespace (a socket
 * stays in the namespace it was made in, so the thread is back home at once), or in the own one.
 * Undefined where libc or the namespace cannot be had: the batch then goes through `ip`.
 */
export const openNetlink: NetlinkOpener = async (netns) => {
  const libc = await loadLibc();
  if (libc === undefined) return undefined;
  let fd: number;
  try {
    fd =
      netns === undefined ? libc.netlinkSocket() : await withNetns(netns, (l) => l.netlinkSocket());
  } catch {
    return undefined;
  }
  const buffer = new Uint8Array(RECEIVE_BUFFER);
  // Namespace files opened for veths created into them, closed with the socket.
  const files: number[] = [];
  return netlinkConnection({
    send: (data) => libc.send(fd, data),
    sendInBackground: (data) => libc.sendInBackground(fd, data),
    receive: () => libc.recvNow(fd, buffer)?.slice(),
    openNetns: (path) => {
      const file = libc.openRead(path);
      files.push(file);
      return file;
    },
    close: () => {
      for (const file of files) libc.close(file);
      libc.close(fd);
    },
  });
};
