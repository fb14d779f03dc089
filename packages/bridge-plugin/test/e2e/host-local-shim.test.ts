/**
 * The 1.1.0 IPAM double (support/host-local-shim.ts) that the ours-only 1.1.0, GC and STATUS
 * scenarios rely on: it must give 1.1.0 results, release exactly the stale reservations on GC and
 * hand other versions to the real host-local untouched. host-local needs no namespace, so this
 * runs without root.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cniEnv, FakeBinDir, REFERENCE_PLUGIN_DIR } from '@cnikit-tools/test-utils';
import { addHostLocalShim } from './support/host-local-shim.js';
import { reservations } from './support/inspect.js';

const REAL = join(REFERENCE_PLUGIN_DIR, 'host-local');

describe.skipIf(!existsSync(REAL))('host-local 1.1.0 shim [needs the reference host-local]', () => {
  // Made in a hook, not at collection, so a skipped run leaves no temp directory.
  let bin: FakeBinDir | undefined;
  let shim = '';
  let dataDir = '';
  beforeAll(() => {
    bin = new FakeBinDir('cnikit-shim-test-');
    shim = addHostLocalShim(bin);
    dataDir = mkdtempSync(join(tmpdir(), 'cnikit-shim-data-'));
  });
  afterAll(() => {
    bin?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const conf = (version: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({
      cniVersion: version,
      name: 'shimnet',
      type: 'bridge',
      ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.9.0.0/24' }]] },
      ...extra,
    });

  const call = (command: string, config: string, containerId?: string) => {
    const env = cniEnv({
      command,
      containerId,
      netns: containerId === undefined ? undefined : '/proc/self/ns/net',
      ifName: containerId === undefined ? undefined : 'eth0',
      path: REFERENCE_PLUGIN_DIR,
    });
    const r = spawnSync(shim, [], { env, input: config, encoding: 'utf8' });
    return { exitCode: r.status, stdout: r.stdout };
  };

  test('ADD at 1.1.0 answers a 1.1.0 result from the real host-local', () => {
    const r = call('ADD', conf('1.1.0'), 'a');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      cniVersion: '1.1.0',
      ips: [{ address: '10.9.0.2/24', gateway: '10.9.0.1' }],
    });
  });

  test('other versions go to the real plugin unchanged', () => {
    const r = call('ADD', conf('0.4.0'), 'b');
    expect(JSON.parse(r.stdout)).toMatchObject({ cniVersion: '0.4.0' });
  });

  test('STATUS succeeds and GC releases only the stale reservations', () => {
    expect(call('STATUS', conf('1.1.0')).exitCode).toBe(0);
    expect(reservations(dataDir, 'shimnet')).toEqual(['10.9.0.2', '10.9.0.3']);
    const gc = call(
      'GC',
      conf('1.1.0', { 'cni.dev/valid-attachments': [{ containerID: 'b', ifname: 'eth0' }] }),
    );
    expect(gc.exitCode).toBe(0);
    expect(reservations(dataDir, 'shimnet')).toEqual(['10.9.0.3']);
  });
});
