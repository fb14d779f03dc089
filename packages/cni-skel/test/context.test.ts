/** What handlers receive: typed config, prevResult, GC attachments, env-derived fields. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod/mini';
import { CniError, definePlugin, netConfSchema, type PluginContext } from '../src/index.js';
import { invokePlugin } from '../src/testing.js';
import { DEFAULT_CONFIG, STUB_RESULT, env, expectCniError } from './helpers.js';

const mySchema = z.extend(netConfSchema, {
  bridge: z._default(z.string(), 'cni0'),
  mtu: z.optional(z.int().check(z.minimum(576))),
});

function capture<C>(config: Parameters<typeof definePlugin<C>>[0]['config']) {
  const seen: Array<PluginContext<C>> = [];
  const plugin = definePlugin<C>({
    name: 'ctx',
    config,
    add: (ctx) => {
      seen.push(ctx);
      return STUB_RESULT;
    },
    del: (ctx) => void seen.push(ctx),
    gc: (ctx) => void seen.push(ctx),
  });
  return { plugin, seen };
}

describe('handler context', () => {
  it('infers the config type from the schema and applies defaults, unknown keys kept', async () => {
    const plugin = definePlugin({
      name: 'typed',
      config: mySchema,
      add: (ctx) => {
        expectTypeOf(ctx.config.bridge).toEqualTypeOf<string>();
        expectTypeOf(ctx.config.mtu).toEqualTypeOf<number | undefined>();
        expect(ctx.config).toMatchObject({ bridge: 'cni0', mtu: 1400, custom: true });
        return STUB_RESULT;
      },
    });
    const out = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, mtu: 1400, custom: true },
    });
    expect(out.exitCode).toBe(0);
  });

  it('a schema failure is error(7) naming every field and reason', async () => {
    const { plugin, seen } = capture(mySchema);
    const out = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, mtu: 100, ipam: { type: 5 } },
    });
    expectCniError(out, 7);
    expect(out.error?.msg).toBe('invalid network config: ipam.type: expected string');
    expect(out.error?.details).toBe('ipam.type: expected string; mtu: must be at least 576');
    expect(seen).toHaveLength(0);
  });

  it('a config function: CniErrors pass through, other throws become code 7', async () => {
    const strict = capture((raw) => {
      if (raw.vlan !== undefined)
        throw new CniError(2, 'unsupported field "vlan"', { details: JSON.stringify(raw.vlan) });
      if (raw.bad) throw new Error('bad is not allowed');
      return { name: String(raw.name) };
    });
    const unsupported = await invokePlugin(strict.plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, vlan: 5 },
    });
    expect(unsupported.error).toMatchObject({
      code: 2,
      msg: 'unsupported field "vlan"',
      details: '5',
    });
    const other = await invokePlugin(strict.plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, bad: 1 },
    });
    expect(other.error).toMatchObject({
      code: 7,
      msg: 'invalid network config: bad is not allowed',
    });
    const ok = await invokePlugin(strict.plugin, { env: env(), stdin: DEFAULT_CONFIG });
    expect(ok.exitCode).toBe(0);
    expect(strict.seen[0]?.config).toEqual({ name: 'testnet' });
  });

  it('passes the CNI_* values, the split CNI_PATH, the whole env and the request version', async () => {
    const { plugin, seen } = capture(netConfSchema);
    const fullEnv = env({ CNI_PATH: '/a::/b:', CNI_ARGS: 'K=V', OTHER: 'x' });
    await invokePlugin(plugin, { env: fullEnv, stdin: { ...DEFAULT_CONFIG, cniVersion: '0.4.0' } });
    const ctx = seen[0];
    expect(ctx).toMatchObject({
      command: 'ADD',
      containerId: 'ctr1',
      netns: '/var/run/netns/t1',
      ifName: 'eth0',
      cniVersion: '0.4.0',
      path: ['/a', '/b'],
      validAttachments: [],
    });
    expect(ctx?.env.OTHER).toBe('x');
    expect(ctx?.prevResult).toBeUndefined();
    expect(ctx?.log.enabled).toBe(false);
  });

  it('prevResult is parsed in the config version and up-converted', async () => {
    const { plugin, seen } = capture(netConfSchema);
    const prevResult = {
      interfaces: [{ name: 'eth0', sandbox: '/x' }],
      ips: [{ version: '4', address: '10.1.0.5/16', interface: 0 }],
    };
    const out = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, cniVersion: '0.4.0', prevResult },
    });
    expect(out.exitCode).toBe(0);
    expect(seen[0]?.prevResult).toEqual({
      cniVersion: '1.1.0',
      interfaces: [{ name: 'eth0', sandbox: '/x' }],
      ips: [{ address: '10.1.0.5/16', interface: 0 }],
    });
  });

  it('an empty or null prevResult on DEL is fine', async () => {
    const { plugin, seen } = capture(netConfSchema);
    for (const prevResult of [{}, null]) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_COMMAND: 'DEL' }),
        stdin: { ...DEFAULT_CONFIG, prevResult },
      });
      expect(out.exitCode).toBe(0);
    }
    expect(seen.map((c) => c.prevResult)).toEqual([{ cniVersion: '1.1.0' }, undefined]);
  });

  it('a bad prevResult is error(6) naming the field; another result family too', async () => {
    const { plugin, seen } = capture(netConfSchema);
    const bad = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, prevResult: { ips: [{ address: 'nope' }] } },
    });
    expectCniError(bad, 6);
    expect(bad.error?.msg).toMatch(/^invalid prevResult: ips\[0\]\.address/);
    const family = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, prevResult: { cniVersion: '0.4.0', ips: [] } },
    });
    expectCniError(family, 6);
    expect(family.error?.msg).toContain('does not match the config version 1.1.0');
    expect(seen).toHaveLength(0);
  });

  it('GC gets cni.dev/valid-attachments (absent = [], legacy key accepted, bad = error 7)', async () => {
    const { plugin, seen } = capture(netConfSchema);
    const gcEnv = { CNI_COMMAND: 'GC', CNI_PATH: '/opt/cni/bin' };
    const valid = [{ containerID: 'ctr1', ifname: 'eth0' }];
    await invokePlugin(plugin, {
      env: gcEnv,
      stdin: { ...DEFAULT_CONFIG, 'cni.dev/valid-attachments': valid },
    });
    await invokePlugin(plugin, { env: gcEnv, stdin: DEFAULT_CONFIG });
    await invokePlugin(plugin, {
      env: gcEnv,
      stdin: { ...DEFAULT_CONFIG, 'cni.dev/attachments': valid },
    });
    expect(seen.map((c) => c.validAttachments)).toEqual([valid, [], valid]);

    const bad = await invokePlugin(plugin, {
      env: gcEnv,
      stdin: { ...DEFAULT_CONFIG, 'cni.dev/attachments': [{ containerID: 1 }] },
    });
    expectCniError(bad, 7);
    expect(bad.error?.details).toContain('cni.dev/attachments[0].containerID: expected string');
  });

  it('definePlugin refuses programming mistakes at start-up', () => {
    expect(() => definePlugin({ name: '' })).toThrow(TypeError);
    expect(() => definePlugin({ name: 'x', supportedVersions: [] })).toThrow(/empty/);
    expect(() => definePlugin({ name: 'x', supportedVersions: ['1.0'] })).toThrow(/unknown/);
    expect(() => definePlugin({ name: 'x', supportedVersions: ['1.0.0', '1.0.0'] })).toThrow(
      /duplicates/,
    );
    expect(() => definePlugin({ name: 'x', add: 5 } as never)).toThrow(/must be a function/);
  });
});
