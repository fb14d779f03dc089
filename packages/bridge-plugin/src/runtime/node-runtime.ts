/**
 * The Node implementation of {@link BridgeRuntime}: node:fs, node:crypto, and netops' runner on
 * node:child_process (lighter to load than execa), used for every child including IPAM.
 *
 * Built-ins load on first use through `process.getBuiltinModule` (an `import()` would start Node's
 * ESM loader), and files are read and written synchronously: a /proc/sys file takes microseconds,
 * where node:fs/promises costs its load and a thread-pool round trip per call. node:crypto (several
 * ms to load) is needed only for ipMasq's chain names; random bytes come from /dev/urandom.
 */
import { processIo } from '@cnikit/cni-skel';
import { isValidIfName, spawnRunner } from '@cnikit/netops';
import type { BridgeRuntime, PortState } from './runtime.js';
import { searchPath } from './search-path.js';

const fs = () => process.getBuiltinModule('node:fs');
const crypto = () => process.getBuiltinModule('node:crypto');

/** Runs synchronous work as a promise: its value resolves it, what it throws rejects it. */
const promised = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

/** The runtime used by the npm bin and by library callers that pass nothing. */
export function nodeRuntime(
  env: Readonly<Record<string, string | undefined>> = process.env,
): BridgeRuntime {
  return {
    runner: spawnRunner,
    readSysctl: (key) => promised(() => fs().readFileSync(`/proc/sys/${key}`, 'utf8')),
    writeSysctl: (key, value) => promised(() => fs().writeFileSync(`/proc/sys/${key}`, value)),
    statfsType: (path) => promised(() => fs().statfsSync(path).type),
    randomBytes: kernelRandomBytes,
    sha512Hex: (text) => crypto().createHash('sha512').update(text).digest('hex'),
    readPortState: (name, ifindex) => sysfsPortState(name, ifindex),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    hasExecutable: (name) =>
      promised(() => searchPath(env.PATH).some((dir) => isExecutable(`${dir}/${name}`))),
    // Not process.stderr itself: making that stream costs 5–8 ms on a pipe, and most calls write
    // nothing to stderr.
    stderr: { write: processIo().writeStderr },
  };
}

function isExecutable(path: string): boolean {
  const { accessSync, constants } = fs();
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `n` bytes from /dev/urandom, the kernel's generator (what getrandom(2) and node:crypto draw
 * on); from node:crypto when the device cannot be read (a chroot without /dev).
 */
export function kernelRandomBytes(n: number): Uint8Array {
  const { closeSync, openSync, readSync } = fs();
  const bytes = new Uint8Array(n);
  let fd: number | undefined;
  try {
    fd = openSync('/dev/urandom', 'r');
    for (let got = 0; got < n;) {
      const read = readSync(fd, bytes, got, n - got, null);
      if (read <= 0) throw new Error('short read from /dev/urandom');
      got += read;
    }
    return bytes;
  } catch {
    return new Uint8Array(crypto().randomBytes(n));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Link `name`'s state under `root` (/sys/class/net), when the link there has index `ifindex`:
 * the check that this /sys shows the caller's namespace (host veth names are random, so another
 * namespace's link of that name and index is out of the question). Undefined when it does not
 * match or cannot be read.
 */
export function sysfsPortState(
  name: string,
  ifindex: number,
  root = '/sys/class/net',
): PortState | undefined {
  // netops' rule for link names: no `/`, not `.`/`..`, so the path stays under `root`.
  if (!isValidIfName(name)) return undefined;
  const { readFileSync } = fs();
  const read = (file: string): string => readFileSync(`${root}/${name}/${file}`, 'latin1').trim();
  try {
    if (read('ifindex') !== String(ifindex)) return undefined;
    return { operstate: read('operstate').toUpperCase(), mac: read('address') };
  } catch {
    return undefined;
  }
}
