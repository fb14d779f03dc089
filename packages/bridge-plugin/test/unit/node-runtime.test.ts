/**
 * The Node runtime's seams against this machine (reads only: /proc/sys, /proc, PATH), and what the
 * built Node entry loads: none of the built-ins it keeps off its path (node:crypto, perf_hooks,
 * node:fs/promises, the ESM loader) for a VERSION or a DEL that runs an IPAM plugin.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BRIDGE_EXECUTABLES } from '@cnikit-tools/test-utils';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelRandomBytes, nodeRuntime } from '../../src/runtime/node-runtime.js';

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

  async function loaded(command: string, stdin: string): Promise<string[]> {
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
    return JSON.parse(lines[lines.length - 1] ?? '[]') as string[];
  }

  it('VERSION loads none of them', async () => {
    const modules = await loaded('VERSION', '');
    for (const m of LOADED_NEVER) expect(modules).not.toContain(m);
  });

  it('a DEL that runs its IPAM plugin loads none of them', async () => {
    const conf = {
      cniVersion: '1.0.0',
      name: 'node-entry',
      type: 'bridge',
      bridge: 'cnikitne0',
      ipam: { type: 'fake-ipam' },
    };
    const modules = await loaded('DEL', JSON.stringify(conf));
    expect(modules).toContain('NativeModule child_process');
    for (const m of LOADED_NEVER) expect(modules).not.toContain(m);
    expect(readFileSync(ipamLog, 'utf8')).toBe('DEL\n');
  });
});
