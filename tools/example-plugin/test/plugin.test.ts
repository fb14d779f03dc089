/** The passthrough example, tested in-process with @cnikit/cni-skel/testing. */
import { ErrorCode } from '@cnikit/cni-skel';
import { invokePlugin } from '@cnikit/cni-skel/testing';
import { describe, expect, it } from 'vitest';
import { passthroughPlugin } from '../src/index.js';

const baseEnv = {
  CNI_COMMAND: 'ADD',
  CNI_CONTAINERID: 'ctr1',
  CNI_NETNS: '/var/run/netns/example',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin',
};
const config = { cniVersion: '1.1.0', name: 'example', type: 'passthrough' };
const prevResult = {
  cniVersion: '1.1.0',
  interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/example' }],
  ips: [{ address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 0 }],
};

const run = (command: string, stdin: object) =>
  invokePlugin(passthroughPlugin, { env: { ...baseEnv, CNI_COMMAND: command }, stdin });

describe('passthrough plugin', () => {
  it('answers VERSION with every spec version', async () => {
    const out = await invokePlugin(passthroughPlugin, { env: { CNI_COMMAND: 'VERSION' } });
    expect(out.result).toMatchObject({ cniVersion: '1.1.0' });
    expect((out.result as { supportedVersions: string[] }).supportedVersions).toContain('0.4.0');
  });

  it('ADD hands prevResult on unchanged, in the request version', async () => {
    const same = await run('ADD', { ...config, prevResult });
    expect(same.exitCode).toBe(0);
    expect(same.result).toEqual(prevResult);

    const old = await run('ADD', {
      ...config,
      cniVersion: '0.4.0',
      prevResult: {
        ...prevResult,
        cniVersion: '0.4.0',
        ips: [{ ...prevResult.ips[0], version: '4' }],
      },
    });
    expect(old.result).toEqual({
      cniVersion: '0.4.0',
      interfaces: prevResult.interfaces,
      ips: [{ version: '4', address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 0 }],
    });
  });

  it('ADD first in a chain returns an empty result, or fails when prevResult is required', async () => {
    expect((await run('ADD', config)).result).toEqual({ cniVersion: '1.1.0' });
    const strict = await run('ADD', { ...config, requirePrevResult: true });
    expect(strict.exitCode).toBe(1);
    expect(strict.error).toMatchObject({
      code: ErrorCode.InvalidNetworkConfig,
      msg: 'prevResult required',
    });
  });

  it('an empty result cannot be expressed as 0.2.0 (no IPs)', async () => {
    const out = await run('ADD', { ...config, cniVersion: '0.2.0' });
    expect(out.error).toMatchObject({ code: 1, msg: 'cannot convert: no valid IP addresses' });
  });

  it('a badly typed config field is error 7 naming it', async () => {
    const out = await run('ADD', { ...config, requirePrevResult: 'yes' });
    expect(out.error).toMatchObject({
      code: 7,
      msg: 'invalid network config: requirePrevResult: expected boolean',
    });
  });

  it('DEL and GC succeed silently, with or without prevResult', async () => {
    for (const stdin of [config, { ...config, prevResult }]) {
      const del = await run('DEL', stdin);
      expect([del.exitCode, del.stdout]).toEqual([0, '']);
    }
    const gc = await invokePlugin(passthroughPlugin, {
      env: { CNI_COMMAND: 'GC', CNI_PATH: '/opt/cni/bin' },
      stdin: { ...config, 'cni.dev/valid-attachments': [{ containerID: 'ctr1', ifname: 'eth0' }] },
    });
    expect([gc.exitCode, gc.stdout]).toEqual([0, '']);
  });

  it('CHECK needs prevResult', async () => {
    expect((await run('CHECK', { ...config, prevResult })).exitCode).toBe(0);
    const missing = await run('CHECK', config);
    expect(missing.error).toMatchObject({ code: 7, msg: 'required prevResult missing' });
  });

  it('STATUS reports code 50 when switched off', async () => {
    expect((await run('STATUS', config)).exitCode).toBe(0);
    const off = await run('STATUS', { ...config, available: false });
    expect(off.exitCode).toBe(1);
    expect(off.error).toMatchObject({ code: ErrorCode.PluginNotAvailable });
  });
});
