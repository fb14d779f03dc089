/**
 * Ours and the reference allocating at once from one store: the lock must be the same flock, or
 * two of them hand out one address. Three kinds of allocator race: Debian's host-local, our
 * single executable (flock through bun:ffi) and our plugin in this Node process (util-linux
 * flock on an inherited descriptor).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invokePlugin } from '@cnikit/cni-skel/testing';
import { flockCommandLocker } from '../src/lock.js';
import { hostLocalPlugin } from '../src/plugin.js';
import {
  cniEnv,
  compileExecutable,
  netConf,
  referenceAvailable,
  runExecutable,
  runReference,
  storeSnapshot,
  tempDir,
} from './helpers.js';

interface Outcome {
  id: string;
  ok: boolean;
  json: unknown;
}

type Caller = (command: string, id: string, stdin: object) => Promise<Outcome>;

describe.skipIf(!referenceAvailable)('concurrency: ours and the reference on one store', () => {
  const build = tempDir('hl-exe-');
  let executable: string;
  beforeAll(async () => {
    executable = await compileExecutable(build.dir);
  }, 180_000);
  afterAll(() => build.cleanup());

  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('hl-race-');
  });
  afterEach(() => tmp.cleanup());

  const callers: Record<string, Caller> = {
    reference: async (command, id, stdin) => {
      const out = await runReference(cniEnv(command, id, 'eth0'), stdin);
      return { id, ok: out.code === 0, json: out.json };
    },
    executable: async (command, id, stdin) => {
      const out = await runExecutable([executable], cniEnv(command, id, 'eth0'), stdin);
      return { id, ok: out.code === 0, json: out.json };
    },
    inProcess: async (command, id, stdin) => {
      const out = await invokePlugin(hostLocalPlugin, { env: cniEnv(command, id, 'eth0'), stdin });
      return { id, ok: out.exitCode === 0, json: out.exitCode === 0 ? out.result : out.error };
    },
  };
  const kinds = Object.keys(callers);
  const kindOf = (i: number): string => kinds[i % kinds.length] as string;

  it('20 parallel ADDs hand out 20 distinct addresses; 20 parallel DELs release them all', async () => {
    // 1.0.0: the newest version the reference speaks. A /27 has 29 addresses for 20 takers.
    const stdin = netConf({ dataDir: tmp.dir, subnet: '10.77.0.0/27' });
    const ids = Array.from({ length: 20 }, (_, i) => `race-${kindOf(i)}-${i}`);

    const added = await Promise.all(ids.map((id, i) => callers[kindOf(i)]!('ADD', id, stdin)));
    const failed = added.filter((o) => !o.ok);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    const addresses = added.map(
      (o) => (o.json as { ips: Array<{ address: string }> }).ips[0]?.address,
    );
    expect(new Set(addresses).size).toBe(20);

    // The store agrees: one file per address, naming the container that was told it got it.
    const files = storeSnapshot(join(tmp.dir, 'net1'));
    for (const [i, o] of added.entries()) {
      const address = (addresses[i] as string).split('/')[0] as string;
      expect(files[address], `${o.id} got ${address}`).toBe(`${o.id}\r\neth0`);
    }
    const reservations = Object.keys(files).filter((f) => f !== 'lock' && !f.startsWith('last_'));
    expect(reservations).toHaveLength(20);

    // Each DEL goes to a different kind of allocator than the ADD did.
    const deleted = await Promise.all(
      ids.map((id, i) => callers[kindOf(i + 1)]!('DEL', id, stdin)),
    );
    expect(deleted.filter((o) => !o.ok)).toEqual([]);
    const left = Object.keys(storeSnapshot(join(tmp.dir, 'net1')));
    expect(left.sort()).toEqual(['last_reserved_ip.0', 'lock']);
  });

  /** True when nobody holds the flock (util-linux flock, the same system call as the reference). */
  const freeNow = (file: string): boolean => spawnSync('flock', ['-n', file, 'true']).status === 0;

  it('the reference waits while our locker holds the store lock', async () => {
    const store = join(tmp.dir, 'net1');
    mkdirSync(store, { recursive: true });
    const lock = await flockCommandLocker()(join(store, 'lock'));
    let released = false;
    const stdin = netConf({ dataDir: tmp.dir, subnet: '10.78.0.0/24' });
    const pending = runReference(cniEnv('ADD', 'blocked', 'eth0'), stdin).then((out) => {
      expect(released, 'the reference finished while we held the lock').toBe(true);
      return out;
    });
    for (let i = 0; i < 3; i += 1) expect(freeNow(join(store, 'lock'))).toBe(false);
    expect(existsSync(join(store, '10.78.0.2'))).toBe(false);
    released = true;
    await lock.release();
    expect((await pending).code).toBe(0);
    expect(existsSync(join(store, '10.78.0.2'))).toBe(true);
  });

  it('our executable (bun:ffi flock) waits while another process holds the store lock', async () => {
    const store = join(tmp.dir, 'net1');
    mkdirSync(store, { recursive: true });
    const holder = spawn('flock', ['-x', join(store, 'lock'), '-c', 'echo held; read _'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    let released = false;
    const stdin = netConf({ dataDir: tmp.dir, subnet: '10.78.0.0/24' });
    const pending = runExecutable([executable], cniEnv('ADD', 'blocked', 'eth0'), stdin).then(
      (out) => {
        expect(released, 'ours finished while another process held the lock').toBe(true);
        return out;
      },
    );
    for (let i = 0; i < 3; i += 1) expect(freeNow(join(store, 'lock'))).toBe(false);
    expect(existsSync(join(store, '10.78.0.2'))).toBe(false);
    released = true;
    await new Promise((resolve) => {
      holder.once('close', resolve);
      holder.stdin.end('\n');
    });
    expect((await pending).code).toBe(0);
    expect(existsSync(join(store, '10.78.0.2'))).toBe(true);
  });
});
