/**
 * A mount namespace of its own (a slave of the machine's) joined to a throwaway network namespace, for runtimes whose state
 * lives at fixed paths (libcni's result cache under /var/lib/cni, podman's /run and /var/lib):
 * temp directories are bound over those paths inside the session only, so nothing reaches the
 * machine's own directories. A holder process keeps the namespace alive; every command of the
 * session joins it with `nsenter --target <holder>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execNsenter, type ExecOptions, type ExecResult, type Netns } from './netns.js';

/** A directory bound over another inside the session. */
export interface BindMount {
  /** An existing directory outside (usually a temp dir). */
  source: string;
  /** The directory it hides inside the session, e.g. `/var/lib`. */
  target: string;
}

/** How to set up the session's mount namespace. */
export interface MountSessionOptions {
  /** The network namespace every command runs in. */
  netns: Netns;
  /** Bind mounts, applied in order. */
  binds?: readonly BindMount[];
  /**
   * Mount a sysfs of this network namespace over /sys (so /sys/class/net shows its links) and
   * bind the cgroup tree back under it, leaving out the hybrid layout's `unified` cgroup2 mount
   * (crun refuses to mount cgroups in a container while it is there).
   */
  freshSysfs?: boolean;
}

/** Runs in the new mount namespace: the mounts, then `ready`, then the holder sleeps. */
const SETUP_SCRIPT = `set -eu
park=$1; shift
if [ -n "$park" ]; then
  mount --rbind /sys/fs/cgroup "$park"
  mount -t sysfs sysfs /sys
  mount --move "$park" /sys/fs/cgroup
  if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
fi
while [ "$#" -ge 2 ]; do mount --bind "$1" "$2"; shift 2; done
echo ready
exec sleep infinity
`;

const READY_TIMEOUT_MS = 15_000;
const live = new Set<MountSession>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed or forgetful test still ends its sessions ('exit' handlers must be synchronous).
  process.on('exit', () => {
    for (const session of live) session.killAllSync();
  });
}

/** Rejects paths that could not be a plain directory argument. */
function checkDir(path: string, what: string): string {
  if (!isAbsolute(path) || /[\0\n]/.test(path)) throw new Error(`bad ${what} path: ${path}`);
  if (!statSync(path).isDirectory()) throw new Error(`${what} is not a directory: ${path}`);
  return path;
}

/** The mount namespace id (`mnt:[inode]`) of a process, or undefined once it is gone. */
function mountNsOf(pid: number | string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

/** A network namespace plus a private mount namespace with its own binds; see the module doc. */
export class MountSession {
  private closed = false;

  private constructor(
    private readonly holder: ChildProcess,
    /** The holder's pid: `nsenter --target` joins its namespaces. */
    readonly pid: number,
    /** The session's mount namespace id, `mnt:[inode]`. */
    readonly mountNs: string,
    private readonly parkDir: string | undefined,
  ) {}

  /** Creates the namespace and applies the mounts; `close()` it when done. */
  static async open(options: MountSessionOptions): Promise<MountSession> {
    const binds = (options.binds ?? []).flatMap((b) => [
      checkDir(b.source, 'bind source'),
      checkDir(b.target, 'bind target'),
    ]);
    const parkDir = options.freshSysfs
      ? mkdtempSync(join(tmpdir(), 'cnikit-cgroup-park-'))
      : undefined;
    installExitHook();
    // setpriv: the holder dies with this process even when no cleanup runs.
    const holder = spawn(
      'setpriv',
      [
        '--pdeathsig',
        'KILL',
        '--',
        'nsenter',
        `--net=${options.netns.path}`,
        '--',
        'unshare',
        '--mount',
        // slave: namespaces made later (`ip netns add`) still show up inside; nothing goes out.
        '--propagation',
        'slave',
        '--',
        '/bin/sh',
        '-c',
        SETUP_SCRIPT,
        'sh',
        parkDir ?? '',
        ...binds,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitReady(holder);
      const pid = holder.pid;
      const mountNs = pid === undefined ? undefined : mountNsOf(pid);
      if (pid === undefined || mountNs === undefined || mountNs === mountNsOf('self'))
        throw new Error('the mount session holder is not in a namespace of its own');
      const session = new MountSession(holder, pid, mountNs, parkDir);
      live.add(session);
      return session;
    } catch (err) {
      holder.kill('SIGKILL');
      if (parkDir !== undefined) rmSync(parkDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Runs argv inside the session (network and mount namespaces); never rejects on exit codes. */
  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new Error('mount session is closed'));
    return execNsenter([`--target=${this.pid}`, '--mount', '--net'], argv, options, 120_000);
  }

  /** Like {@link MountSession.exec} but throws with stderr on a non-zero exit; returns stdout. */
  async mustExec(argv: readonly string[], options: ExecOptions = {}): Promise<string> {
    const r = await this.exec(argv, options);
    if (r.exitCode !== 0)
      throw new Error(`${argv.join(' ')} exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }

  /** Pids of every process in the session's mount namespace (the holder included). */
  processes(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      if (mountNsOf(entry) === this.mountNs) pids.push(Number(entry));
    }
    return pids;
  }

  /** SIGKILLs every process of the session; synchronous, for the exit hook. */
  killAllSync(): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (this.parkDir !== undefined) rmSync(this.parkDir, { recursive: true, force: true });
  }

  /**
   * Ends the session: kills what still runs in its mount namespace (they all descend from it),
   * waits for them to go, and drops the namespace with its mounts. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    live.delete(this);
    for (let i = 0; i < 100; i++) {
      const pids = this.processes();
      if (pids.length === 0) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await delay(50);
    }
    if (this.holder.exitCode === null && this.holder.signalCode === null)
      await new Promise((resolve) => this.holder.once('exit', resolve));
    if (this.parkDir !== undefined) rmSync(this.parkDir, { recursive: true, force: true });
  }
}

/** Resolves once the holder printed `ready`; rejects with its stderr if it exits first. */
function waitReady(holder: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`mount session not ready after ${READY_TIMEOUT_MS} ms: ${err}`)),
      READY_TIMEOUT_MS,
    );
    holder.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    holder.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    holder.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`mount session setup failed (${signal ?? code}): ${err.trim()}`));
    });
    holder.once('error', (cause) => {
      clearTimeout(timer);
      reject(new Error('could not start the mount session', { cause }));
    });
  });
}
