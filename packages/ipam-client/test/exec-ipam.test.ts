/**
 * Delegation through a fake IPAM executable: conformance checklist H, cases 52-59, plus lookup,
 * spawn failures, the timeout, ETXTBSY and the runner seam.
 */
import { chmodSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandRunner, RunOptions } from '@cnikit/netops';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBinDir, cniEnv } from '@cnikit-tools/test-utils';
import { isCniError } from '@cnikit/cni-skel';
import {
  execIpam,
  ipamAdd,
  ipamCheck,
  ipamDel,
  ipamGc,
  ipamStatus,
  type IpamExecOptions,
  type StderrSink,
} from '../src/index.ts';
import { isIpamError } from '../src/errors.ts';
import { FakeIpam } from './fake-ipam.ts';

/** A stderr sink that keeps what it is given. */
class Captured implements StderrSink {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

// Unknown keys, prevResult, runtimeConfig, odd spacing and non-ASCII: all must arrive unchanged.
const CONFIG =
  '{ "cniVersion":"1.1.0", "name":"testnet","type":"bridge",\n\t"x-extra": {"π": "é"},' +
  '"runtimeConfig":{"ips":["10.1.0.9/16"]},"prevResult":{"cniVersion":"1.1.0","ips":[]},' +
  '"ipam":{"type":"fake-ipam","subnet":"10.1.0.0/16"} }\n';

describe('execIpam with a fake IPAM plugin', () => {
  let fake: FakeIpam;
  let other: FakeBinDir;
  let stderr: Captured;

  beforeEach(() => {
    fake = new FakeIpam();
    other = new FakeBinDir('cnikit-empty-');
    stderr = new Captured();
  });
  afterEach(() => {
    fake.cleanup();
    other.cleanup();
  });

  /** The parent's environment: an ADD with an unrelated variable. */
  const parentEnv = (command = 'ADD'): Record<string, string | undefined> => ({
    ...process.env,
    ...cniEnv({
      command,
      containerId: 'ctr1',
      netns: '/var/run/netns/t1',
      ifName: 'eth0',
      args: 'IgnoreUnknown=1;K8S_POD_NAME=p',
      path: [other.dir, fake.bin.dir],
    }),
    FOO_TEST: '1',
  });
  const options = (extra: Partial<IpamExecOptions> = {}): IpamExecOptions => ({
    pluginType: 'fake-ipam',
    stdin: CONFIG,
    env: parentEnv(),
    stderr,
    ...extra,
  });

  it('52: passes the parent environment with only CNI_COMMAND changed, and stdin unchanged', async () => {
    fake.on('DEL', {});
    const parent = parentEnv('ADD');
    await ipamDel(options({ env: parent }));

    const seen = fake.env('DEL');
    expect(seen.CNI_COMMAND).toBe('DEL');
    for (const [key, value] of Object.entries(parent)) {
      if (key === 'CNI_COMMAND' || value === undefined) continue;
      expect(seen[key], key).toBe(value);
    }
    expect(seen.FOO_TEST).toBe('1');
    // Nothing added beyond what the shell itself exports.
    const extra = Object.keys(seen).filter((k) => !(k in parent));
    expect(extra.filter((k) => !['PWD', 'OLDPWD', 'SHLVL', '_'].includes(k))).toEqual([]);
    expect(fake.stdin('DEL').equals(Buffer.from(CONFIG, 'utf8'))).toBe(true);
  });

  it('52: ADD sees CNI_COMMAND=ADD and the whole config, byte for byte, also from bytes', async () => {
    fake.on('ADD', { stdout: '{"cniVersion":"1.1.0","ips":[{"address":"10.1.0.5/16"}]}' });
    const bytes = Buffer.concat([Buffer.from(CONFIG), Buffer.from([0xef, 0xbb, 0xbf])]);
    await ipamAdd(options({ stdin: bytes }));
    expect(fake.env('ADD').CNI_COMMAND).toBe('ADD');
    expect(fake.stdin('ADD').equals(bytes)).toBe(true);
  });

  it('53: finds the plugin in the second CNI_PATH directory', async () => {
    const { pluginPath } = await execIpam('ADD', options());
    expect(pluginPath).toBe(fake.path);
    expect(fake.calls()).toEqual(['ADD']);
  });

  it('53: takes CNI_PATH from the environment unless paths are given', async () => {
    await expect(execIpam('DEL', options({ paths: [other.dir] }))).rejects.toThrow(
      `failed to find plugin "fake-ipam" in path [${other.dir}]`,
    );
    expect(fake.calls()).toEqual([]);
  });

  it("53: a name with '/' fails without running anything", async () => {
    const err: unknown = await execIpam('ADD', options({ pluginType: `../${fake.name}` })).catch(
      (e: unknown) => e,
    );
    expect(isIpamError(err, 'lookup')).toBe(true);
    expect((err as Error).message).toBe(`invalid plugin name: ../${fake.name}`);
    expect(fake.calls()).toEqual([]);
  });

  it('53: a missing plugin is named with the searched paths', async () => {
    await expect(execIpam('ADD', options({ pluginType: 'absent' }))).rejects.toThrow(
      `failed to find plugin "absent" in path [${other.dir} ${fake.bin.dir}]`,
    );
  });

  it('54: a result without cniVersion is read in the config version and converted to 1.1.0', async () => {
    fake.on('ADD', { stdout: '{"ips":[{"address":"10.1.0.5/16","gateway":"10.1.0.1"}]}' });
    const stdin = CONFIG.replace('"cniVersion":"1.1.0"', '"cniVersion":"0.4.0"');
    const result = await ipamAdd(options({ stdin }));
    expect(result.cniVersion).toBe('1.1.0');
    expect(result.ips).toEqual([{ address: '10.1.0.5/16', gateway: '10.1.0.1' }]);
  });

  it('55: a 0.2.0-shaped result under a 0.2.0 config is up-converted', async () => {
    fake.on('ADD', {
      stdout: JSON.stringify({
        cniVersion: '0.2.0',
        ip4: { ip: '10.1.0.5/16', gateway: '10.1.0.1', routes: [{ dst: '0.0.0.0/0' }] },
        ip6: { ip: 'fd00::5/64', gateway: 'fd00::1' },
        dns: { nameservers: ['10.1.0.1'] },
      }),
    });
    const stdin = CONFIG.replace('"cniVersion":"1.1.0"', '"cniVersion":"0.2.0"');
    const result = await ipamAdd(options({ stdin }));
    expect(result.cniVersion).toBe('1.1.0');
    expect(result.ips).toEqual([
      { address: '10.1.0.5/16', gateway: '10.1.0.1' },
      { address: 'fd00::5/64', gateway: 'fd00::1' },
    ]);
    expect(result.routes).toEqual([{ dst: '0.0.0.0/0' }]);
    expect(result.dns).toEqual({ nameservers: ['10.1.0.1'] });
  });

  it('56: a delegate error keeps its code, msg and details', async () => {
    fake.on('ADD', {
      exitCode: 1,
      stdout: '{"code":11,"msg":"try later","details":"pool busy"}',
      stderr: 'noise',
    });
    const err: unknown = await ipamAdd(options()).catch((e: unknown) => e);
    expect(isCniError(err)).toBe(true);
    expect(isIpamError(err, 'delegate')).toBe(true);
    expect(err).toMatchObject({ code: 11, message: 'try later', details: 'pool busy' });
    expect((err as { toJSON(): unknown }).toJSON()).toEqual({
      code: 11,
      msg: 'try later',
      details: 'pool busy',
    });
  });

  it('56: a delegate code above 99 passes through too, on every verb', async () => {
    for (const [verb, run] of [
      ['DEL', ipamDel],
      ['CHECK', ipamCheck],
      ['STATUS', ipamStatus],
      ['GC', ipamGc],
    ] as const) {
      fake.on(verb, { exitCode: 1, stdout: `{"code":150,"msg":"${verb} broke"}` });
      await expect(run(options())).rejects.toMatchObject({ code: 150, message: `${verb} broke` });
    }
    expect(fake.calls()).toEqual(['DEL', 'CHECK', 'STATUS', 'GC']);
  });

  it('57: empty stdout falls back to the quoted stderr', async () => {
    fake.on('ADD', { exitCode: 1, stderr: 'boom\n' });
    await expect(ipamAdd(options())).rejects.toMatchObject({
      code: 999,
      message: 'netplugin failed: "boom\\n"',
    });
  });

  it('57: empty stdout and stderr say there was no message', async () => {
    fake.on('DEL', { exitCode: 3 });
    await expect(ipamDel(options())).rejects.toThrow(
      'netplugin failed with no error message: exit status 3',
    );
  });

  it('unparsable stdout on failure says so and quotes it', async () => {
    fake.on('ADD', { exitCode: 1, stdout: 'panic: oops' });
    await expect(ipamAdd(options())).rejects.toThrow(
      /^netplugin failed but error parsing its diagnostic message "panic: oops": /,
    );
  });

  it('58: ADD with exit 0 and empty stdout is an error', async () => {
    fake.on('ADD', {});
    const err: unknown = await ipamAdd(options()).catch((e: unknown) => e);
    expect(isIpamError(err, 'result')).toBe(true);
  });

  it.each(['{not json', '[]', '42'])('58: ADD output %j is an error', async (stdout) => {
    fake.on('ADD', { stdout });
    await expect(ipamAdd(options())).rejects.toSatisfy((e) => isIpamError(e, 'result'));
  });

  it('58: ADD output null reads as an empty result', async () => {
    fake.on('ADD', { stdout: 'null' });
    await expect(ipamAdd(options())).resolves.toMatchObject({ cniVersion: '1.1.0' });
  });

  it('58: DEL, CHECK, STATUS and GC succeed on exit 0 with empty stdout', async () => {
    await ipamDel(options());
    await ipamCheck(options());
    await ipamStatus(options());
    await ipamGc(options());
    expect(fake.calls()).toEqual(['DEL', 'CHECK', 'STATUS', 'GC']);
    for (const verb of ['DEL', 'CHECK', 'STATUS', 'GC'])
      expect(fake.stdin(verb).toString()).toBe(CONFIG);
  });

  it('59: the delegate stderr goes to the given sink, never to stdout', async () => {
    const stdoutWrite = vi.spyOn(process.stdout, 'write');
    fake.on('ADD', { stdout: '{"cniVersion":"1.1.0"}', stderr: 'marker-on-success\n' });
    fake.on('DEL', { exitCode: 1, stdout: '{"code":7,"msg":"x"}', stderr: 'marker-on-failure\n' });
    await ipamAdd(options());
    await ipamDel(options()).catch(() => undefined);
    expect(stderr.text).toBe('marker-on-success\nmarker-on-failure\n');
    const printed = stdoutWrite.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).not.toContain('marker-on');
  });

  it('kills a delegate that runs too long and says it timed out', async () => {
    fake.on('ADD', { sleep: 5 });
    const err: unknown = await ipamAdd(options({ timeoutMs: 200 })).catch((e: unknown) => e);
    expect(isIpamError(err, 'timeout')).toBe(true);
    expect((err as Error).message).toMatch(/timed out after 200 ms/);
  });

  it('treats an unbounded timeout as the longest timer, not as "now"', async () => {
    fake.on('ADD', { stdout: '{"cniVersion":"1.1.0"}' });
    await expect(ipamAdd(options({ timeoutMs: Infinity }))).resolves.toMatchObject({
      cniVersion: '1.1.0',
    });
  });

  it('reports a plugin that cannot be started', async () => {
    chmodSync(fake.path, 0o644);
    const err: unknown = await ipamDel(options()).catch((e: unknown) => e);
    expect(isIpamError(err, 'spawn')).toBe(true);
    expect((err as Error).message).toContain(fake.path);
    expect((err as Error).cause).toMatchObject({ code: 'EACCES' });
  });

  it('retries while the plugin binary is still open for writing (ETXTBSY)', async () => {
    writeFileSync(fake.path, '#!/bin/sh\necho \'{"cniVersion":"1.1.0"}\'\n');
    const writer = openSync(fake.path, 'r+');
    const pending = ipamAdd(options());
    await sleep(300);
    closeSync(writer);
    await expect(pending).resolves.toMatchObject({ cniVersion: '1.1.0' });
  });

  it('uses a caller-supplied runner with the complete environment and the stdin text', async () => {
    const seen: Array<{ argv: readonly string[]; options: RunOptions | undefined }> = [];
    const runner: CommandRunner = (argv, runOptions) => {
      seen.push({ argv, options: runOptions });
      return Promise.resolve({
        argv,
        exitCode: 0,
        stdout: '{"cniVersion":"1.0.0","ips":[{"address":"10.1.0.7/16"}]}',
        stderr: 'from runner\n',
      });
    };
    const result = await ipamAdd(options({ runner, timeoutMs: 1234 }));
    expect(result.ips).toEqual([{ address: '10.1.0.7/16' }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.argv).toEqual([fake.path]);
    expect(seen[0]?.options?.input).toBe(CONFIG);
    expect(seen[0]?.options?.timeoutMs).toBe(1234);
    expect(seen[0]?.options?.env).toMatchObject({ CNI_COMMAND: 'ADD', FOO_TEST: '1' });
    expect(stderr.text).toBe('from runner\n');
    expect(fake.calls()).toEqual([]);
  });

  it('looks the plugin up with a caller-supplied check', async () => {
    const asked: string[] = [];
    const isRegularFile = (path: string) => {
      asked.push(path);
      return path === fake.path;
    };
    const run = await execIpam('DEL', options({ isRegularFile }));
    expect(run.pluginPath).toBe(fake.path);
    expect(asked).toContain(fake.path);
  });
});
