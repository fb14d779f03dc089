/**
 * Throwaway network namespaces for privileged tests. Every namespace is named
 * `cnk-<pid>-<random>-<role>`, so a run never collides with another and a crashed run's leftovers
 * can be told apart (their pid is dead) and swept by the next one.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { execa, type Result } from 'execa';

const PREFIX = 'cnk-';
const NETNS_DIR = '/run/netns';

/** True when the process can create namespaces (root). */
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The reason privileged suites print when they are skipped. */
export const NOT_ROOT_REASON =
  'needs root: creates throwaway network namespaces (run the tests as root)';

/** A named network namespace made by this process. */
export interface Netns {
  name: string;
  /** Its nsfs path, usable as CNI_NETNS. */
  path: string;
}

export interface ExecOptions {
  input?: string;
  env?: Record<string, string>;
  /** Replace the environment instead of extending it. */
  cleanEnv?: boolean;
  timeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const live = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: a test that forgot its cleanup (or a crash) still leaves nothing behind.
  process.on('exit', () => {
    for (const name of live) {
      // 'exit' handlers cannot await, so this one spawns synchronously.
      spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    }
  });
}

/** Removes namespaces left by earlier runs whose process is gone. */
export async function sweepStaleNamespaces(): Promise<string[]> {
  let names: string[] = [];
  try {
    names = readdirSync(NETNS_DIR).filter((n) => n.startsWith(PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await execa('ip', ['netns', 'del', name], { reject: false });
    removed.push(name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates a namespace with `lo` up. */
export async function createNetns(role: string): Promise<Netns> {
  if (!/^[a-z0-9]{1,12}$/.test(role)) throw new Error(`bad namespace role ${role}`);
  installExitHook();
  const name = `${PREFIX}${process.pid}-${randomBytes(3).toString('hex')}-${role}`;
  await execa('ip', ['netns', 'add', name]);
  live.add(name);
  await execa('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return { name, path: `${NETNS_DIR}/${name}` };
}

/** Deletes a namespace (its links, routes and rules go with it). Missing is fine. */
export async function deleteNetns(ns: Netns): Promise<void> {
  await execa('ip', ['netns', 'del', ns.name], { reject: false });
  live.delete(ns.name);
}

/**
 * Runs argv behind `nsenter <enter...> --`; never rejects on a non-zero exit. Shared by
 * {@link execIn} and the mount sessions.
 */
export async function execNsenter(
  enter: readonly string[],
  argv: readonly string[],
  options: ExecOptions = {},
  defaultTimeoutMs = 60_000,
): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('empty argv');
  const result: Result = await execa('nsenter', [...enter, '--', cmd, ...args], {
    reject: false,
    input: options.input ?? '',
    env: options.env ?? {},
    extendEnv: !options.cleanEnv,
    timeout: options.timeoutMs ?? defaultTimeoutMs,
    stripFinalNewline: false,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
}

/** Runs argv inside the namespace; never rejects on a non-zero exit. */
export function execIn(
  ns: Netns,
  argv: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  return execNsenter([`--net=${ns.path}`], argv, options);
}

/** Like {@link execIn} but throws with stderr when the command fails; returns stdout. */
export async function mustExecIn(
  ns: Netns,
  argv: readonly string[],
  options: ExecOptions = {},
): Promise<string> {
  const r = await execIn(ns, argv, options);
  if (r.exitCode !== 0)
    throw new Error(`${argv.join(' ')} in ${ns.name} exited ${r.exitCode}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * A test's namespaces: one "host" (where the plugin runs and the bridge lives) and any number of
 * containers. `cleanup()` deletes them all; call it in afterEach/afterAll (it is idempotent).
 */
export class Sandbox {
  private readonly made: Netns[] = [];
  private hostNs: Netns | undefined;

  /** The host namespace, made on first use. */
  async host(): Promise<Netns> {
    this.hostNs ??= await this.track(createNetns('host'));
    return this.hostNs;
  }

  /** A new container namespace. */
  async container(): Promise<Netns> {
    return this.track(createNetns(`c${this.made.length}`));
  }

  private async track(p: Promise<Netns>): Promise<Netns> {
    const ns = await p;
    this.made.push(ns);
    return ns;
  }

  async cleanup(): Promise<void> {
    while (this.made.length > 0) {
      const ns = this.made.pop();
      if (ns) await deleteNetns(ns);
    }
    this.hostNs = undefined;
  }
}
