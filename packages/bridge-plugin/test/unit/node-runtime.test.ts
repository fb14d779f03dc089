/**
 * The Node runtime's seams against this machine (reads only: /proc/sys, /sys, /proc, PATH), and
 * the built Node entry: it starts from its code cache, and loads none of the built-ins it keeps off
 * its path (node:crypto, perf_hooks, node:fs/promises, the ESM loader) for a VERSION or a DEL that
 * runs an IPAM plugin.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BRIDGE_EXECUTABLES } from '@cnikit-tools/test-utils';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { codeCachePath } from '../../src/code-cache.js';
import { kernelRandomBytes, nodeRuntime, sysfsPortState } from '../../src/runtime/node-runtime.js';

const PROC_SUPER_MAGIC = 0x9fa0;

describe('nodeRuntime', () => {
  const rt = nodeRuntime({ PATH: '/usr/bin:/bin' });

  it('reads a sysctl file', async () => {
    expect(await rt.readSysctl('kernel/ostype')).toBe('Linux\n');
  });

  it('rejects (does not throw) for a sysctl that does not exist', async () => {
    const read = rt.readSysctl('net/cnikit/no-such-key');
    await expect(read).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('tells the filesystem of a path', async () => {
    expect(await rt.statfsType('/proc')).toBe(PROC_SUPER_MAGIC);
    await expect(rt.statfsType('/nonexistent/cnikit')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('finds executables on its PATH only', async () => {
    expect(await rt.hasExecutable('sh')).toBe(true);
    expect(await rt.hasExecutable('cnikit-no-such-program')).toBe(false);
    expect(await nodeRuntime({ PATH: '/nonexistent/cnikit' }).hasExecutable('sh')).toBe(false);
  });

  it('hashes with SHA-512', () => {
    expect(rt.sha512Hex('abc')).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a' +
        '2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });

  it('draws random bytes from the kernel', () => {
    const a = kernelRandomBytes(16);
    const b = kernelRandomBytes(16);
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a.length).toBe(16);
    expect(kernelRandomBytes(0).length).toBe(0);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(rt.randomBytes(5).length).toBe(5);
  });
});

describe('sysfsPortState', () => {
  const root = mkdtempSync(join(tmpdir(), 'cnikit-sysfs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const link = (name: string, files: Record<string, string>) => {
    mkdirSync(join(root, name));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(root, name, file), text);
  };
  link('veth0a1b2c3d', { ifindex: '7\n', operstate: 'up\n', address: '3e:a6:e0:5f:c9:44\n' });
  link('vethlower', {
    ifindex: '8\n',
    operstate: 'lowerlayerdown\n',
    address: '3e:a6:e0:5f:c9:45\n',
  });

  it("reads operstate (iproute2's case) and MAC when the link has the expected index", () => {
    expect(sysfsPortState('veth0a1b2c3d', 7, root)).toEqual({
      operstate: 'UP',
      mac: '3e:a6:e0:5f:c9:44',
    });
    expect(sysfsPortState('vethlower', 8, root)?.operstate).toBe('LOWERLAYERDOWN');
  });

  it("is undefined for another namespace's view: other index, no such link", () => {
    expect(sysfsPortState('veth0a1b2c3d', 9, root)).toBeUndefined();
    expect(sysfsPortState('vethmissing', 7, root)).toBeUndefined();
  });

  it('reads nothing outside the root', () => {
    for (const name of ['..', '.', 'x/../veth0a1b2c3d'])
      expect(sysfsPortState(name, 7, root)).toBeUndefined();
  });

  it("reads this machine's loopback", () => {
    const lo = sysfsPortState('lo', 1);
    expect(lo?.mac).toBe('00:00:00:00:00:00');
  });
});

const cli = BRIDGE_EXECUTABLES.node;
const LOADED_NEVER = [
  'NativeModule crypto',
  'NativeModule perf_hooks',
  'NativeModule fs/promises',
  'NativeModule internal/modules/esm/loader',
];

describe.skipIf(!existsSync(cli))('the built Node entry (dist/cli.cjs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnikit-node-entry-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Prints, at exit, the built-in modules loaded since it ran (before the entry).
  const hook = join(dir, 'modules.cjs');
  writeFileSync(
    hook,
    `const before = new Set(process.moduleLoadList);
process.on('exit', () => require('node:fs').writeSync(2, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))) + '\\n'));
`,
  );
  // An IPAM plugin that succeeds: DEL runs it through the Node runner (node:child_process).
  const ipamDir = join(dir, 'bin');
  const ipamLog = join(dir, 'ipam.log');
  mkdirSync(ipamDir);
  writeFileSync(join(ipamDir, 'fake-ipam'), `#!/bin/sh\necho "$CNI_COMMAND" >> ${ipamLog}\n`);
  chmodSync(join(ipamDir, 'fake-ipam'), 0o755);
  // One that says something on stderr, which the entry copies to its own.
  writeFileSync(
    join(ipamDir, 'chatty-ipam'),
    `#!/bin/sh\necho "chatty-ipam: $CNI_COMMAND done" >&2\n`,
  );
  chmodSync(join(ipamDir, 'chatty-ipam'), 0o755);

  /** Runs the entry under the hook; its stderr, and the built-ins it loaded (the last line). */
  async function run(
    command: string,
    stdin: string,
  ): Promise<{ stderr: string; modules: string[] }> {
    const out = await execa(process.execPath, ['-r', hook, cli], {
      input: stdin,
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        CNI_COMMAND: command,
        CNI_CONTAINERID: 'node-entry-1',
        CNI_NETNS: '',
        CNI_IFNAME: 'eth0',
        CNI_PATH: ipamDir,
      },
      extendEnv: false,
      reject: false,
      timeout: 20_000,
    });
    expect(out.exitCode, out.stdout).toBe(0);
    const lines = out.stderr.trim().split('\n');
    return { stderr: out.stderr, modules: JSON.parse(lines[lines.length - 1] ?? '[]') as string[] };
  }

  const loaded = async (command: string, stdin: string): Promise<string[]> =>
    (await run(command, stdin)).modules;

  /** A VERSION call of `node ...args` in a clean environment. */
  const version = (args: string[]) =>
    execa(process.execPath, args, {
      env: { PATH: '/usr/bin:/bin', CNI_COMMAND: 'VERSION' },
      extendEnv: false,
      input: '',
      reject: false,
    });

  it('starts its main from the code cache the build made for this Node', async () => {
    const main = join(dirname(cli), 'node-main.cjs');
    expect(existsSync(codeCachePath(main))).toBe(true);
    // Reports each vm.Script the entry makes: whether it was given a cache, and V8's verdict.
    const vmHook = join(dir, 'vm.cjs');
    writeFileSync(
      vmHook,
      `const vm = require('node:vm');
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(source, options) {
    super(source, options);
    process.stderr.write(JSON.stringify({ cached: options?.cachedData !== undefined, rejected: this.cachedDataRejected }) + '\\n');
  }
};
`,
    );
    const out = await version(['-r', vmHook, cli]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toHaveProperty('cniVersion');
    expect(
      out.stderr
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ cached: true, rejected: false }]);
  });

  it('starts by require without a cache for this Node, and through a symlink to it', async () => {
    // The entry and its bundle without the cache, and a link to the entry from elsewhere (as
    // npm's bin directory or /opt/cni/bin has it).
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    copyFileSync(cli, join(copy, 'cli.cjs'));
    copyFileSync(join(dirname(cli), 'node-main.cjs'), join(copy, 'node-main.cjs'));
    const links = join(dir, 'links');
    mkdirSync(links);
    symlinkSync(join(copy, 'cli.cjs'), join(links, 'bridge'));
    for (const entry of [join(copy, 'cli.cjs'), join(links, 'bridge')]) {
      const out = await version([entry]);
      expect(out.exitCode, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout)).toHaveProperty('supportedVersions');
    }
  });

  it('has a bundle of ASCII only (one other character makes V8 hold all of it as two-byte text)', () => {
    const bytes = readFileSync(join(dirname(cli), 'node-main.cjs'));
    const at = bytes.findIndex((b) => b > 0x7f);
    expect(at, bytes.subarray(Math.max(0, at - 60), at + 20).toString()).toBe(-1);
  });

  it('VERSION loads none of them, nor the stream modules (its stdout and stderr are pipes)', async () => {
    const modules = await loaded('VERSION', '');
    for (const m of LOADED_NEVER) expect(modules).not.toContain(m);
    // process.stdout or process.stderr on a pipe would load them: 5–8 ms for a line of output.
    expect(modules).not.toContain('NativeModule net');
    expect(modules).not.toContain('NativeModule stream');
  });

  /** A bridge config whose IPAM plugin is one of the fakes above. */
  const confWithIpam = (ipam: string): string =>
    JSON.stringify({
      cniVersion: '1.0.0',
      name: 'node-entry',
      type: 'bridge',
      bridge: 'cnikitne0',
      ipam: { type: ipam },
    });

  it('a DEL that runs its IPAM plugin loads none of them', async () => {
    const modules = await loaded('DEL', confWithIpam('fake-ipam'));
    expect(modules).toContain('NativeModule child_process');
    for (const m of LOADED_NEVER) expect(modules).not.toContain(m);
    expect(readFileSync(ipamLog, 'utf8')).toBe('DEL\n');
  });

  it("copies the IPAM plugin's stderr to its own", async () => {
    const { stderr } = await run('DEL', confWithIpam('chatty-ipam'));
    expect(stderr.split('\n')[0]).toBe('chatty-ipam: DEL done');
  });
});
