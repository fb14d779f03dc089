/**
 * Delegation to the real reference host-local plugin (Debian's /usr/lib/cni). host-local only
 * reads CNI_CONTAINERID/IFNAME/NETNS; it never enters the namespace, so no root is needed.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REFERENCE_PLUGIN_DIR, cniEnv } from '@cnikit-tools/test-utils';
import { ipamAdd, ipamCheck, ipamDel, ipamGc, parseIpamResult, execIpam } from '../src/index.ts';

const HAVE_HOST_LOCAL = existsSync(join(REFERENCE_PLUGIN_DIR, 'host-local'));

describe.skipIf(!HAVE_HOST_LOCAL)('with the reference host-local', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cnikit-hostlocal-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const config = (cniVersion: string): string =>
    JSON.stringify({
      cniVersion,
      name: 'hlnet',
      type: 'bridge',
      ipam: {
        type: 'host-local',
        dataDir,
        ranges: [[{ subnet: '10.77.0.0/24' }], [{ subnet: 'fd77::/64' }]],
        routes: [{ dst: '0.0.0.0/0' }],
      },
    });
  const options = (containerId: string, cniVersion = '1.0.0') => ({
    pluginType: 'host-local',
    stdin: config(cniVersion),
    env: {
      ...process.env,
      ...cniEnv({
        command: 'ADD',
        containerId,
        netns: '/var/run/netns/unused',
        ifName: 'eth0',
        path: [REFERENCE_PLUGIN_DIR],
      }),
    },
  });
  const reservations = (): string[] =>
    readdirSync(join(dataDir, 'hlnet')).filter((f) => /^[0-9a-f.:]+$/.test(f));

  it('ADD returns a converted dual-stack result; DEL releases it', async () => {
    const result = await ipamAdd(options('ctr-a'));
    expect(result.cniVersion).toBe('1.1.0');
    expect(result.ips).toEqual([
      { address: '10.77.0.2/24', gateway: '10.77.0.1' },
      { address: 'fd77::2/64', gateway: 'fd77::1' },
    ]);
    expect(result.routes).toEqual([{ dst: '0.0.0.0/0' }]);
    expect(reservations().sort()).toEqual(['10.77.0.2', 'fd77::2']);

    await ipamCheck(options('ctr-a'));
    await ipamDel(options('ctr-a'));
    expect(reservations()).toEqual([]);
    // DEL is idempotent.
    await ipamDel(options('ctr-a'));
  });

  it('two ADDs get distinct addresses', async () => {
    const a = await ipamAdd(options('ctr-a'));
    const b = await ipamAdd(options('ctr-b'));
    expect(a.ips?.[0]?.address).not.toBe(b.ips?.[0]?.address);
    expect(b.ips?.[0]?.address).toBe('10.77.0.3/24');
    await ipamDel(options('ctr-a'));
    await ipamDel(options('ctr-b'));
  });

  it('an older config version gets an older result shape, converted to 1.1.0', async () => {
    const { stdout } = await execIpam('ADD', options('ctr-old', '0.2.0'));
    const parsed = parseIpamResult(stdout, '0.2.0');
    expect(parsed.sourceVersion).toBe('0.2.0');
    expect(JSON.parse(stdout)).toHaveProperty('ip4');
    expect(parsed.result.ips?.map((ip) => ip.address)).toEqual(['10.77.0.2/24', 'fd77::2/64']);
    await ipamDel(options('ctr-old', '0.2.0'));
  });

  it('a host-local failure keeps its code and message', async () => {
    // host-local refuses a second reservation for the same container and interface.
    await ipamAdd(options('ctr-dup'));
    const err: unknown = await ipamAdd(options('ctr-dup')).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'delegate' });
    expect((err as Error).message).toMatch(/duplicate allocation|already/);
    await ipamDel(options('ctr-dup'));
  });

  it('GC is unknown to this host-local (it predates 1.1.0): its error is passed up', async () => {
    await expect(ipamGc(options('ctr-gc', '1.1.0'))).rejects.toMatchObject({
      reason: 'delegate',
      code: 4,
      message: 'unknown CNI_COMMAND: GC',
    });
  });
});
