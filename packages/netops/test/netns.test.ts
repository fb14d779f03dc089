import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NSFS_MAGIC, openNetns, ownNetnsPath, sameNetns } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'netops-netns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openNetns', () => {
  it('opens the own namespace by /proc path', async () => {
    const ns = await openNetns('/proc/self/ns/net');
    expect(ns.path).toBe('/proc/self/ns/net');
    expect(ns.ino).toBeGreaterThan(0);
    expect(NSFS_MAGIC).toBe(0x6e736673);
  });

  it('tells a missing path (not-found) from a path that is not a namespace (invalid)', async () => {
    await expect(openNetns(join(dir, 'gone'))).rejects.toMatchObject({
      kind: 'not-found',
      stage: 'netns',
    });
    const file = join(dir, 'file');
    writeFileSync(file, '');
    await expect(openNetns(file)).rejects.toMatchObject({ kind: 'invalid', stage: 'netns' });
    await expect(openNetns(dir)).rejects.toThrowError(/is not a network namespace/);
    await expect(openNetns('relative')).rejects.toMatchObject({
      kind: 'invalid',
      stage: 'validate',
    });
  });

  it('compares namespaces by identity, whatever the path', async () => {
    expect(ownNetnsPath()).toBe(`/proc/${process.pid}/ns/net`);
    expect(await sameNetns('/proc/self/ns/net', ownNetnsPath())).toBe(true);
  });
});
