/**
 * Starting a child inside another network namespace without `nsenter`: the main thread enters the
 * namespace with setns(2), spawns, and goes back, with nothing else running in between (the
 * reference's `netns.Do` on a locked OS thread). Bun.spawn forks from the calling thread, so the
 * child is born in the namespace; that is checked on /proc/PID/ns/net before the child gets its
 * stdin, and a child found elsewhere is killed. Saves one process per container-side step.
 *
 * Only for the Bun executable (setns through bun:ffi from glibc). When libc cannot be opened, or
 * the namespace file cannot, the caller falls back to `nsenter`.
 */
import type * as NodeFs from 'node:fs';
import type { BunSubprocess } from './bun-api.js';

/** CLONE_NEWNET from linux/sched.h: setns may only join a network namespace. */
const CLONE_NEWNET = 0x40000000;

type SetNs = (fd: number, nstype: number) => number;
type Fs = typeof NodeFs;

interface Entry {
  setns: SetNs;
  fs: Fs;
}

let entry: Promise<Entry | undefined> | undefined;

/** setns from libc and node:fs, loaded on the first namespace spawn; undefined when unavailable. */
function load(): Promise<Entry | undefined> {
  const ffiModule = 'bun:ffi';
  entry ??= Promise.all([import(ffiModule) as Promise<BunFfi>, import('node:fs')]).then(
    ([ffi, fs]) => {
      const lib = ffi.dlopen('libc.so.6', {
        setns: { args: [ffi.FFIType.i32, ffi.FFIType.i32], returns: ffi.FFIType.i32 },
      });
      return { setns: lib.symbols.setns, fs };
    },
    () => undefined,
  );
  return entry.catch(() => undefined);
}

interface BunFfi {
  FFIType: { i32: number };
  dlopen(
    path: string,
    symbols: { setns: { args: number[]; returns: number } },
  ): { symbols: { setns: SetNs } };
}

/** Why a namespace spawn could not be made; the caller uses nsenter instead. */
export class NetnsEntryUnavailable extends Error {}

/**
 * Runs `spawn` with the calling thread inside the network namespace at `netnsPath`.
 * @throws NetnsEntryUnavailable when the namespace cannot be entered here (use nsenter);
 * an Error when the child turned out to be in another namespace (it is killed).
 */
export async function spawnInNetns(
  netnsPath: string,
  spawn: () => BunSubprocess,
): Promise<BunSubprocess> {
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
    const want = fs.fstatSync(target).ino;
    if (setns(target, CLONE_NEWNET) !== 0)
      throw new NetnsEntryUnavailable(`setns(${netnsPath}) failed`);
    let child: BunSubprocess;
    try {
      child = spawn();
    } finally {
      // Staying in the container's namespace would send every later host step there.
      if (setns(home, CLONE_NEWNET) !== 0) {
        process.stderr.write('bridge: cannot return to the host network namespace\n');
        process.abort();
      }
    }
    let got: number | undefined;
    try {
      got = fs.statSync(`/proc/${child.pid}/ns/net`).ino;
    } catch {
      // Already gone: it never read its stdin, so its exit status tells what happened.
    }
    if (got !== undefined && got !== want) {
      child.kill(9);
      throw new Error(`a child meant for ${netnsPath} started in another network namespace`);
    }
    return child;
  } finally {
    fs.closeSync(target);
    fs.closeSync(home);
  }
}
