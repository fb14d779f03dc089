/**
 * Work inside another network namespace without `nsenter`: the main thread enters the namespace
 * with setns(2), does synchronous work (spawn a child, write /proc/sys files) and goes back, with
 * nothing else running in between (the reference's `netns.Do` on a locked OS thread). Bun.spawn
 * forks from the calling thread, so a child is born in the namespace; that is checked on
 * /proc/PID/ns/net before the child gets its stdin, and a child found elsewhere is killed. Saves
 * the `nsenter` and `sh` processes of every container-side step.
 *
 * Only for the Bun executable (setns through bun:ffi from glibc). When libc cannot be opened, or
 * the namespace file cannot, callers fall back to `nsenter` and a shell.
 */
import type * as NodeFs from 'node:fs';
import type { NetnsEnter, SyncSysctlFiles } from '@cnikit/netops';
import type { BunSubprocess } from './bun-api.js';

/** CLONE_NEWNET from linux/sched.h: setns may only join a network namespace. */
const CLONE_NEWNET = 0x40000000;

type SetNs = (fd: number, nstype: number) => number;

interface BunFfi {
  FFIType: { i32: number };
  dlopen(
    path: string,
    symbols: { setns: { args: number[]; returns: number } },
  ): { symbols: { setns: SetNs } };
}

interface Entry {
  setns: SetNs;
  fs: typeof NodeFs;
}

let entry: Promise<Entry | undefined> | undefined;

/** setns from libc and node:fs, loaded on first use; undefined when unavailable. */
function load(): Promise<Entry | undefined> {
  const ffiModule = 'bun:ffi';
  entry ??= Promise.all([import(ffiModule) as Promise<BunFfi>, import('node:fs')])
    .then(([ffi, fs]) => {
      const lib = ffi.dlopen('libc.so.6', {
        setns: { args: [ffi.FFIType.i32, ffi.FFIType.i32], returns: ffi.FFIType.i32 },
      });
      return { setns: lib.symbols.setns, fs };
    })
    .catch(() => undefined);
  return entry;
}

/** The namespace could not be entered here: the caller uses nsenter instead. */
export class NetnsEntryUnavailable extends Error {}

/**
 * Runs `work` with the calling thread inside the network namespace at `netnsPath`; `work` gets the
 * namespace's inode number (to check children against).
 * @throws NetnsEntryUnavailable when the namespace cannot be entered here.
 */
async function withNetns<T>(
  netnsPath: string,
  work: (fs: typeof NodeFs, ino: number) => T,
): Promise<T> {
  const loaded = await load();
  if (loaded === undefined) throw new NetnsEntryUnavailable('setns is not available');
  const { setns, fs } = loaded;
  let target: number;
  try {
    target = fs.openSync(netnsPath, 'r');
  } catch (err) {
    throw new NetnsEntryUnavailable(`cannot open ${netnsPath}`, { cause: err });
  }
  const home = fs.openSync('/proc/thread-self/ns/net', 'r');
  try {
    const ino = fs.fstatSync(target).ino;
    if (setns(target, CLONE_NEWNET) !== 0)
      throw new NetnsEntryUnavailable(`setns(${netnsPath}) failed`);
    try {
      return work(fs, ino);
    } finally {
      // Staying in the container's namespace would send every later host step there.
      if (setns(home, CLONE_NEWNET) !== 0) {
        process.stderr.write('bridge: cannot return to the host network namespace\n');
        process.abort();
      }
    }
  } finally {
    fs.closeSync(target);
    fs.closeSync(home);
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
  const { child, ino, fs } = await withNetns(netnsPath, (fs, ino) => ({ child: spawn(), ino, fs }));
  let got: number | undefined;
  try {
    got = fs.statSync(`/proc/${child.pid}/ns/net`).ino;
  } catch {
    // Already gone: it never read its stdin, so its exit status tells what happened.
  }
  if (got !== undefined && got !== ino) {
    child.kill(9);
    throw new Error(`a child meant for ${netnsPath} started in another network namespace`);
  }
  return child;
}

/** netops' {@link NetnsEnter} on setns: /proc/sys written with synchronous calls of this thread. */
export const enterNetns: NetnsEnter = async (netns, work) => {
  try {
    return await withNetns(netns, (fs) => {
      const files: SyncSysctlFiles = {
        read: (path) => fs.readFileSync(path, 'utf8'),
        write: (path, text) => fs.writeFileSync(path, text),
      };
      return { value: work(files) };
    });
  } catch (err) {
    if (err instanceof NetnsEntryUnavailable) return undefined;
    throw err;
  }
};
