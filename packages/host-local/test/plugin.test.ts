import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokePlugin } from '@cnikit/cni-skel/testing';
import { hostLocalPlugin } from '../src/plugin.js';
import { cniEnv, netConf, storeSnapshot, tempDir } from './helpers.js';

describe('host-local through the skel (in-process)', () => {
  let tmp: ReturnType<typeof tempDir>;
  const conf = (
    ipam: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
    version = '1.1.0',
  ) => netConf({ dataDir: tmp.dir, subnet: '10.9.0.0/24', ...ipam }, extra, version);
  const call = (command: string, stdin: object, id = '', ifName = '', args = '') =>
    invokePlugin(hostLocalPlugin, { env: cniEnv(command, id, ifName, args), stdin });

  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('VERSION lists every spec version up to 1.1.0', async () => {
    const out = await call('VERSION', { cniVersion: '1.1.0' });
    expect(out.result).toEqual({
      cniVersion: '1.1.0',
      supportedVersions: ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'],
    });
  });

  it('ADD answers a 1.1.0 config, which the reference 1.1.1 refuses', async () => {
    const out = await call(
      'ADD',
      conf({ routes: [{ dst: '0.0.0.0/0', table: 100 }] }),
      'c1',
      'eth0',
    );
    expect(out.exitCode).toBe(0);
    expect(out.result).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: '10.9.0.2/24', gateway: '10.9.0.1' }],
      routes: [{ dst: '0.0.0.0/0', table: 100 }],
    });
  });

  it('prints the result in the config version, down to the legacy 0.2.0 shape', async () => {
    const dual = {
      subnet: undefined,
      ranges: [[{ subnet: '10.9.0.0/24' }], [{ subnet: 'fd00::/64' }]],
    };
    expect((await call('ADD', conf(dual, {}, '0.4.0'), 'c1', 'eth0')).result).toEqual({
      cniVersion: '0.4.0',
      ips: [
        { version: '4', address: '10.9.0.2/24', gateway: '10.9.0.1' },
        { version: '6', address: 'fd00::2/64', gateway: 'fd00::1' },
      ],
    });
    expect((await call('ADD', conf(dual, {}, '0.2.0'), 'c2', 'eth0')).result).toEqual({
      cniVersion: '0.2.0',
      ip4: { ip: '10.9.0.3/24', gateway: '10.9.0.1' },
      ip6: { ip: 'fd00::3/64', gateway: 'fd00::1' },
    });
  });

  it('takes CNI_ARGS IP=, and reports bad CNI_ARGS as the reference words them (code 4)', async () => {
    expect(
      (await call('ADD', conf(), 'c1', 'eth0', 'IgnoreUnknown=1;K8S_POD_NAME=p;IP=10.9.0.77'))
        .result,
    ).toMatchObject({
      ips: [{ address: '10.9.0.77/24' }],
    });
    const bad = await call('ADD', conf(), 'c2', 'eth0', 'IP=bogus');
    expect(bad.error).toMatchObject({
      code: 4,
      msg: 'ARGS: error parsing value of pair "IP=bogus": invalid IP address bogus',
    });
    expect((await call('ADD', conf(), 'c2', 'eth0', 'FOO=1')).error).toMatchObject({
      code: 4,
      msg: 'ARGS: unknown args ["FOO=1"]',
    });
  });

  it('reports an invalid config with code 7 and the reference text', async () => {
    const out = await call('ADD', conf({ subnet: '10.9.0.0/31' }), 'c1', 'eth0');
    expect(out.exitCode).toBe(1);
    expect(out.error).toEqual({
      cniVersion: '1.1.0',
      code: 7,
      msg: 'invalid range set 0: Network 10.9.0.0/31 too small to allocate from',
    });
  });

  it('DEL releases and succeeds when repeated; CHECK follows the reservation', async () => {
    await call('ADD', conf(), 'c1', 'eth0');
    const cached = {
      prevResult: { cniVersion: '1.1.0', ips: [{ address: '10.9.0.2/24', gateway: '10.9.0.1' }] },
    };
    expect((await call('CHECK', conf({}, cached), 'c1', 'eth0')).exitCode).toBe(0);
    for (let i = 0; i < 2; i += 1) {
      const del = await call('DEL', conf(), 'c1', 'eth0');
      expect([del.exitCode, del.stdout]).toEqual([0, '']);
    }
    expect(Object.keys(storeSnapshot(join(tmp.dir, 'net1')))).toEqual([
      'last_reserved_ip.0',
      'lock',
    ]);
    expect((await call('CHECK', conf({}, cached), 'c1', 'eth0')).error).toMatchObject({
      code: 999,
      msg: 'host-local: Failed to find address added by container c1',
    });
  });

  it('GC releases what cni.dev/valid-attachments does not name', async () => {
    await call('ADD', conf(), 'live', 'eth0');
    await call('ADD', conf(), 'stale', 'eth0');
    const gc = await call(
      'GC',
      conf({}, { 'cni.dev/valid-attachments': [{ containerID: 'live', ifname: 'eth0' }] }),
    );
    expect([gc.exitCode, gc.stdout]).toEqual([0, '']);
    expect(storeSnapshot(join(tmp.dir, 'net1'))).toMatchObject({ '10.9.0.2': 'live\r\neth0' });
    expect(storeSnapshot(join(tmp.dir, 'net1'))['10.9.0.3']).toBeUndefined();
  });

  it('STATUS answers 0 while an ADD can be served and code 50 once the range is full', async () => {
    const tiny = conf({ subnet: '10.9.0.0/30' });
    expect((await call('STATUS', tiny)).exitCode).toBe(0);
    await call('ADD', tiny, 'c1', 'eth0');
    const status = await call('STATUS', tiny);
    expect(status.exitCode).toBe(1);
    expect(status.error).toMatchObject({ code: 50 });
  });

  it('refuses GC and STATUS below spec 1.1.0, as the skel gates them', async () => {
    expect((await call('STATUS', conf({}, {}, '1.0.0'))).error).toMatchObject({ code: 1 });
  });
});
