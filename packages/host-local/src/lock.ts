/**
 * The store lock: an exclusive flock(2) on `<store>/lock`, the very lock the reference takes,
 * so ours and the reference exclude each other on one store.
 *
 * Node has no flock binding. The default locker opens the lock file itself and lets util-linux
 * `flock` lock that open file description through an inherited descriptor (`flock -x 3`): a
 * flock belongs to the open file description, not to the process, so it stays held after
 * `flock` exits, until we close our descriptor — or until we die, when the kernel drops it.
 * One short process, no shell, no helper left running. A runtime with a real binding (bun:ffi)
 * can pass its own {@link StoreLocker}.
 */
import { spawn } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { HostLocalError, pathErrorText } from './errors.js';

/** A held lock. */
export interface StoreLock {
  /** Drops the lock; safe to call twice. */
  release(): Promise<void>;
}

/** Takes the exclusive lock on a lock file, waiting for other holders. */
export type StoreLocker = (lockFile: string) => Promise<StoreLock>;

/** Options of {@link flockCommandLocker}. */
export interface FlockCommandOptions {
  /** The util-linux flock executable; default /usr/bin/flock, else `flock` on PATH. */
  command?: string;
  /** Give up after this long (code 11, try again later); default: wait as long as it takes, as the reference. */
  timeoutMs?: number;
}

/** flock's exit code when `-w` runs out (set with `-E`, so it cannot be mistaken for another failure). */
const TIMEOUT_EXIT = 75;

function runFlock(
  command: string,
  args: string[],
  fd: number,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe', fd] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

/** The default {@link StoreLocker}: util-linux `flock` on a descriptor we keep. */
export function flockCommandLocker(options: FlockCommandOptions = {}): StoreLocker {
  // Runtimes may run plugins with a thin PATH; util-linux installs flock in /usr/bin.
  const command = options.command ?? (existsSync('/usr/bin/flock') ? '/usr/bin/flock' : 'flock');
  return async (lockFile) => {
    let handle;
    try {
      // As the reference opens it: read-only, created 0750 when missing.
      handle = await open(lockFile, constants.O_RDONLY | constants.O_CREAT, 0o750);
    } catch (error) {
      throw new HostLocalError('store', pathErrorText('open', lockFile, error), { cause: error });
    }
    const args = ['-x'];
    if (options.timeoutMs !== undefined) {
      args.push('-w', String(options.timeoutMs / 1000), '-E', String(TIMEOUT_EXIT));
    }
    args.push('3');
    let outcome;
    try {
      outcome = await runFlock(command, args, handle.fd);
    } catch (error) {
      await handle.close();
      throw new HostLocalError('lock', `failed to run ${command}: ${String(error)}`, {
        cause: error,
      });
    }
    if (outcome.code !== 0) {
      await handle.close();
      const msg =
        outcome.code === TIMEOUT_EXIT
          ? `timed out waiting for the lock ${lockFile}`
          : `failed to lock ${lockFile}: ${outcome.stderr.trim() || `${command} exited with ${outcome.code}`}`;
      throw new HostLocalError('lock', msg);
    }
    let held = true;
    return {
      release: async () => {
        if (!held) return;
        held = false;
        await handle.close();
      },
    };
  };
}

/** Runs `work` holding the lock, and releases it however `work` ends. */
export async function withStoreLock<T>(
  locker: StoreLocker,
  lockFile: string,
  work: () => Promise<T>,
): Promise<T> {
  const lock = await locker(lockFile);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
