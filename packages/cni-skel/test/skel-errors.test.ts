/** Checklist E.32-35 (cni-spec.md §8): error objects, codes and stdout discipline. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CniError } from '../src/index.js';
import { invokePlugin } from '../src/testing.js';
import { DEFAULT_CONFIG, env, expectCniError, stubPlugin } from './helpers.js';

let tmp: string | undefined;
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

describe('E. error output', () => {
  it('E.32 a plain Error from a handler is error(999) with its message', async () => {
    const { plugin } = stubPlugin({
      add: () => {
        throw new Error('potato');
      },
    });
    const out = await invokePlugin(plugin, { env: env(), stdin: DEFAULT_CONFIG });
    expectCniError(out, 999);
    expect(out.error?.msg).toBe('potato');
  });

  it('E.32 a thrown non-Error value is error(999) too', async () => {
    const { plugin } = stubPlugin({
      del: () => {
        // Deliberately not an Error: the boundary must cope with any thrown value.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw 'just a string';
      },
    });
    const out = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'DEL' }),
      stdin: DEFAULT_CONFIG,
    });
    expectCniError(out, 999);
    expect(out.error?.msg).toBe('just a string');
  });

  it('E.33 a typed CniError passes through with its code, msg and details', async () => {
    const { plugin } = stubPlugin({
      check: () => {
        throw new CniError(1234, 'insufficient something', { details: 'd' });
      },
    });
    const out = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'CHECK' }),
      stdin: DEFAULT_CONFIG,
    });
    expect(out.exitCode).toBe(1);
    expect(out.error).toEqual({
      cniVersion: '1.1.0',
      code: 1234,
      msg: 'insufficient something',
      details: 'd',
    });
  });

  it('E.34 error JSON: integer code, string msg, details absent or string, cniVersion echoed', async () => {
    const { plugin } = stubPlugin({
      add: () => {
        throw new Error('boom');
      },
    });
    const out = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, cniVersion: '0.4.0' },
    });
    expect(out.error).toEqual({ cniVersion: '0.4.0', code: 999, msg: 'boom' });
    expect(Number.isInteger(out.error?.code)).toBe(true);

    // Before stdin was decoded there is no request version: the key is left out.
    const early = await invokePlugin(plugin, { env: env({ CNI_PATH: undefined }) });
    expect(early.error).toEqual({ code: 4, msg: 'required env variables [CNI_PATH] missing' });
    // An unsupported version is still echoed: it is the request's version.
    const unsupported = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, cniVersion: '9.9.9' },
    });
    expect(unsupported.error?.cniVersion).toBe('9.9.9');
    expect(typeof unsupported.error?.details).toBe('string');
  });

  it('E.35 a failed conversion prints only the error, never a partial result', async () => {
    const { plugin } = stubPlugin({
      add: () => ({ cniVersion: '1.1.0', interfaces: [{ name: 'eth0' }] }),
    });
    const out = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, cniVersion: '0.2.0' },
    });
    expectCniError(out, 1);
    expect(out.error?.msg).toBe('cannot convert: no valid IP addresses');
    expect(out.stdout).not.toContain('interfaces');
  });

  it('E.35 logs go to the log file and stderr, never stdout', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'cnikit-skel-'));
    const logFile = join(tmp, 'plugin.log');
    const { plugin } = stubPlugin({
      add: (ctx) => {
        ctx.log.info('about to fail', { step: 1 });
        throw new CniError(11, 'try later');
      },
    });
    const out = await invokePlugin(plugin, {
      env: env({ CNI_LOG_FILE: logFile }),
      stdin: DEFAULT_CONFIG,
    });
    expectCniError(out, 11);
    expect(out.stdout).not.toContain('about to fail');
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual(['about to fail', 'failed', 'done']);
    expect(lines[0]).toMatchObject({ level: 'info', plugin: 'stub', command: 'ADD', step: 1 });
    expect(lines[1]).toMatchObject({ level: 'error', code: 11, error: 'try later' });
  });

  it('DEL, CHECK, GC and STATUS print nothing on success; ADD prints one result', async () => {
    const { plugin } = stubPlugin();
    for (const command of ['DEL', 'CHECK', 'GC', 'STATUS']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_COMMAND: command }),
        stdin: DEFAULT_CONFIG,
      });
      expect([out.exitCode, out.stdout]).toEqual([0, '']);
    }
    const add = await invokePlugin(plugin, { env: env(), stdin: DEFAULT_CONFIG });
    expect(add.stdout.endsWith('}\n')).toBe(true);
    expect(add.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a missing handler succeeds (Go skel), a missing ADD is error(4)', async () => {
    const { plugin } = stubPlugin({ add: undefined, del: undefined, gc: undefined });
    const del = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'DEL' }),
      stdin: DEFAULT_CONFIG,
    });
    expect([del.exitCode, del.stdout]).toEqual([0, '']);
    const gc = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'GC' }),
      stdin: DEFAULT_CONFIG,
    });
    expect(gc.exitCode).toBe(0);
    const add = await invokePlugin(plugin, { env: env(), stdin: DEFAULT_CONFIG });
    expectCniError(add, 4);
    expect(add.error?.msg).toBe('plugin stub does not implement ADD');
  });

  it('an ADD handler returning an invalid result is error(999) naming the field', async () => {
    const { plugin } = stubPlugin({
      add: () => ({ cniVersion: '1.1.0', ips: [{ address: '10.1.0.5' }] }),
    });
    const out = await invokePlugin(plugin, { env: env(), stdin: DEFAULT_CONFIG });
    expectCniError(out, 999);
    expect(out.error?.msg).toContain('ips[0].address');
  });

  it("code 8 when CNI_NETNS is the plugin's own netns, before the handler runs", async () => {
    const { plugin, calls } = stubPlugin();
    for (const command of ['ADD', 'DEL']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_COMMAND: command, CNI_NETNS: '/proc/self/ns/net' }),
        stdin: DEFAULT_CONFIG,
      });
      expectCniError(out, 8);
      expect(out.error?.msg).toBe("plugin's netns and netns from CNI_NETNS should not be the same");
    }
    expect(calls).toHaveLength(0);
  });

  it('CNI_NETNS_OVERRIDE=1/true skips the own-netns check; CHECK never does it', async () => {
    const { plugin, calls } = stubPlugin();
    for (const override of ['1', 'true', 'TRUE']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_NETNS: '/proc/self/ns/net', CNI_NETNS_OVERRIDE: override }),
        stdin: DEFAULT_CONFIG,
      });
      expect(out.exitCode).toBe(0);
    }
    const check = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'CHECK', CNI_NETNS: '/proc/self/ns/net' }),
      stdin: DEFAULT_CONFIG,
    });
    expect(check.exitCode).toBe(0);
    expect(calls).toHaveLength(4);
    const other = await invokePlugin(plugin, {
      env: env({ CNI_NETNS: '/proc/self/ns/net', CNI_NETNS_OVERRIDE: '0' }),
      stdin: DEFAULT_CONFIG,
    });
    expectCniError(other, 8);
  });
});
