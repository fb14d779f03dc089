import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBinDir } from '@cnikit-tools/test-utils';
import { findPlugin, splitCniPath } from '../src/find-plugin.ts';
import { isIpamError } from '../src/errors.ts';

describe('findPlugin', () => {
  const dirs: FakeBinDir[] = [];
  const fresh = (): FakeBinDir => {
    const d = new FakeBinDir('cnikit-find-');
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    while (dirs.length > 0) dirs.pop()?.cleanup();
  });

  it('takes the first directory that has the plugin', async () => {
    const first = fresh();
    const second = fresh();
    const third = fresh();
    const wanted = second.add('ipam', 'exit 0');
    third.add('ipam', 'exit 0');
    await expect(findPlugin('ipam', [first.dir, second.dir, third.dir])).resolves.toBe(wanted);
  });

  it('skips a directory of that name and follows symlinks', async () => {
    const first = fresh();
    const second = fresh();
    mkdirSync(join(first.dir, 'ipam'));
    const target = second.add('real', 'exit 0');
    symlinkSync(target, join(second.dir, 'ipam'));
    await expect(findPlugin('ipam', [first.dir, second.dir])).resolves.toBe(
      join(second.dir, 'ipam'),
    );
  });

  it('does not check the exec bit', async () => {
    const d = fresh();
    writeFileSync(join(d.dir, 'plain'), 'not executable');
    await expect(findPlugin('plain', [d.dir])).resolves.toBe(join(d.dir, 'plain'));
  });

  it('asks a given check instead of node:fs, in path order', async () => {
    const asked: string[] = [];
    const isFile = (path: string) => {
      asked.push(path);
      return path === '/b/ipam';
    };
    await expect(findPlugin('ipam', ['/a', '/b/', '/c'], isFile)).resolves.toBe('/b/ipam');
    expect(asked).toEqual(['/a/ipam', '/b/ipam']);
  });

  it('skips a dangling symlink', async () => {
    const d = fresh();
    symlinkSync(join(d.dir, 'nowhere'), join(d.dir, 'ipam'));
    await expect(findPlugin('ipam', [d.dir])).rejects.toThrow(/failed to find plugin/);
  });

  it.each([
    ['', [], 'no plugin name provided'],
    ['a/b', ['/usr/lib/cni'], 'invalid plugin name: a/b'],
    ['../host-local', ['/usr/lib/cni'], 'invalid plugin name: ../host-local'],
    ['host-local', [], 'no paths provided'],
    ['host-local', [''], 'no paths provided'],
  ])('rejects name %j with paths %j: %s', async (name, paths, msg) => {
    const err: unknown = await findPlugin(name, paths).catch((e: unknown) => e);
    expect(isIpamError(err, 'lookup')).toBe(true);
    expect((err as Error).message).toBe(msg);
    expect((err as { code: number }).code).toBe(999);
  });

  it('names the plugin and every searched directory when it is missing', async () => {
    const a = fresh();
    const b = fresh();
    await expect(findPlugin('nope', [a.dir, b.dir])).rejects.toThrow(
      `failed to find plugin "nope" in path [${a.dir} ${b.dir}]`,
    );
  });
});

describe('splitCniPath', () => {
  it('splits on ":" and drops empty entries', () => {
    expect(splitCniPath('/a::/b:')).toEqual(['/a', '/b']);
    expect(splitCniPath('')).toEqual([]);
    expect(splitCniPath(undefined)).toEqual([]);
  });
});
