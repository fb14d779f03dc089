import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostLocalError } from '../src/errors.js';
import { flockCommandLocker, withStoreLock } from '../src/lock.js';
import { tempDir } from './helpers.js';

/** True when util-linux flock could take the lock right now (nobody holds it). */
const freeNow = (file: string): boolean => spawnSync('flock', ['-n', file, 'true']).status === 0;

/** Holds the lock in another process (util-linux flock, as a shell script would) until released. */
async function holdElsewhere(file: string): Promise<() => Promise<void>> {
  const child = spawn('flock', ['-x', file, '-c', 'echo held; read _'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return () =>
    new Promise((resolve) => {
      child.once('close', () => resolve());
      child.stdin.end('\n');
    });
}

describe('flockCommandLocker', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    tmp = tempDir();
    file = join(tmp.dir, 'lock');
  });
  afterEach(() => tmp.cleanup());

  it('creates the lock file 0750 and holds a flock that other processes see', async () => {
    const lock = await flockCommandLocker()(file);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o750 & ~process.umask());
    expect(freeNow(file)).toBe(false);
    await lock.release();
    await lock.release();
    expect(freeNow(file)).toBe(true);
  });

  it('waits for a lock another process holds', async () => {
    const release = await holdElsewhere(file);
    let released = false;
    const acquired = flockCommandLocker()(file).then((lock) => {
      // It must not have been granted while the other process still held the lock.
      expect(released).toBe(true);
      return lock;
    });
    // Let the locker reach flock(2); the lock must still be the other process's.
    for (let i = 0; i < 3; i += 1) expect(freeNow(file)).toBe(false);
    released = true;
    await release();
    const lock = await acquired;
    expect(freeNow(file)).toBe(false);
    await lock.release();
  });

  it('gives up after timeoutMs with a try-again-later error', async () => {
    const release = await holdElsewhere(file);
    try {
      const error = await flockCommandLocker({ timeoutMs: 50 })(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostLocalError);
      expect((error as HostLocalError).code).toBe(11);
      expect((error as HostLocalError).message).toBe(`timed out waiting for the lock ${file}`);
    } finally {
      await release();
    }
  });

  it('reports a missing flock executable as a lock error', async () => {
    const error = await flockCommandLocker({ command: join(tmp.dir, 'no-flock') })(file).catch(
      (e: unknown) => e,
    );
    expect((error as HostLocalError).kind).toBe('lock');
    expect(freeNow(file)).toBe(true);
  });

  it('withStoreLock releases the lock when the work throws', async () => {
    await expect(
      withStoreLock(flockCommandLocker(), file, () => {
        expect(freeNow(file)).toBe(false);
        return Promise.reject(new Error('boom'));
      }),
    ).rejects.toThrow('boom');
    expect(freeNow(file)).toBe(true);
  });
});
