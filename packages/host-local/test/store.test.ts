import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostLocalError } from '../src/errors.js';
import { formatIp, parseIp, type IpAddress } from '../src/ip.js';
import { DiskStore } from '../src/store.js';
import { storeSnapshot, tempDir } from './helpers.js';

const ip = (text: string): IpAddress => parseIp(text) as IpAddress;
const eth0 = { containerId: 'c1', ifName: 'eth0' };

describe('DiskStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: DiskStore;
  beforeEach(async () => {
    tmp = tempDir();
    store = new DiskStore(join(tmp.dir, 'data'), 'net1');
    await store.ensure();
  });
  afterEach(() => tmp.cleanup());

  it('creates <dataDir>/<network> with mode 0755', () => {
    expect(statSync(store.dir).mode & 0o777).toBe(0o755 & ~process.umask());
    expect(store.lockFile).toBe(join(tmp.dir, 'data', 'net1', 'lock'));
  });

  it('writes a reservation in the reference bytes and records the last reserved address', async () => {
    await expect(store.reserve(ip('fd00::fe'), eth0, 1)).resolves.toBe(true);
    expect(storeSnapshot(store.dir)).toEqual({
      'fd00::fe': 'c1\r\neth0',
      'last_reserved_ip.1': 'fd00::fe',
    });
    expect(statSync(join(store.dir, 'fd00::fe')).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(formatIp((await store.lastReserved(1)) as IpAddress)).toBe('fd00::fe');
    expect(await store.lastReserved(0)).toBeUndefined();
  });

  it('refuses an address already reserved, leaving the file alone', async () => {
    await store.reserve(ip('10.9.0.2'), eth0, 0);
    await expect(
      store.reserve(ip('10.9.0.2'), { containerId: 'c2', ifName: 'eth0' }, 0),
    ).resolves.toBe(false);
    expect(readFileSync(join(store.dir, '10.9.0.2'), 'utf8')).toBe('c1\r\neth0');
  });

  it('lists reservations with owners, ignoring lock, last_reserved_ip and directories', async () => {
    await store.reserve(ip('10.9.0.2'), eth0, 0);
    writeFileSync(join(store.dir, '10.9.0.3'), 'legacy\n');
    writeFileSync(join(store.dir, 'lock'), '');
    mkdirSync(join(store.dir, '10.9.0.4'));
    const found = (await store.reservations()).sort((a, b) => a.file.localeCompare(b.file));
    expect(found.map((r) => [r.file, r.owner.containerId, r.owner.ifName])).toEqual([
      ['10.9.0.2', 'c1', 'eth0'],
      ['10.9.0.3', 'legacy', undefined],
    ]);
    expect((await store.reservedAddresses()).map(formatIp).sort()).toEqual([
      '10.9.0.2',
      '10.9.0.3',
    ]);
  });

  it('ignores a last_reserved_ip it cannot parse, as the reference', async () => {
    writeFileSync(join(store.dir, 'last_reserved_ip.0'), '10.9.0.9\n');
    expect(await store.lastReserved(0)).toBeUndefined();
  });

  it('removes files, counting already-gone ones as removed', async () => {
    await store.reserve(ip('10.9.0.2'), eth0, 0);
    await expect(store.remove(['10.9.0.2', '10.9.0.77'])).resolves.toEqual([]);
    expect(Object.keys(storeSnapshot(store.dir))).toEqual(['last_reserved_ip.0']);
  });

  it('reports a store that cannot be created in the reference words', async () => {
    writeFileSync(join(tmp.dir, 'file'), '');
    const blocked = new DiskStore(join(tmp.dir, 'file'), 'net1');
    const error = await blocked.ensure().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostLocalError);
    expect((error as HostLocalError).message).toBe(
      `mkdir ${join(tmp.dir, 'file', 'net1')}: not a directory`,
    );
  });

  it.each(['', '.', '..', 'a/b', 'a\0b'])('refuses the network name %j', (name) => {
    expect(() => new DiskStore(tmp.dir, name)).toThrow(HostLocalError);
  });
});
