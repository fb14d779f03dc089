import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  interfaceSysctl,
  isNetopsError,
  readSysctl,
  sysctlPath,
  writeSysctl,
  writeSysctls,
} from '../src/index.js';
import { checkSysctl } from '../src/sysctl.js';
import { SYSCTL_FATAL_EXIT, sysctlScriptArgv } from '../src/sysctl-script.js';

describe('sysctl names', () => {
  it.each([
    ['net.ipv4.ip_forward', 'net/ipv4/ip_forward'],
    ['net/ipv6/conf/all/forwarding', 'net/ipv6/conf/all/forwarding'],
    ['/net/ipv6/conf/br0.100/accept_ra', 'net/ipv6/conf/br0.100/accept_ra'],
  ])('%s is %s', (name, path) => {
    expect(sysctlPath(name)).toBe(path);
  });

  it('builds per-interface names in slash form, so dots in names survive', () => {
    expect(interfaceSysctl('ipv6', 'br0.100', 'accept_ra')).toBe('net/ipv6/conf/br0.100/accept_ra');
    expect(interfaceSysctl('ipv4', 'eth0', 'arp_notify')).toBe('net/ipv4/conf/eth0/arp_notify');
    expect(() => interfaceSysctl('ipv4', 'eth0', '../x')).toThrowError(/sysctl key/);
    expect(() => interfaceSysctl('ipv4', 'a/b', 'x')).toThrowError(/interface name/);
  });

  it.each([
    '',
    'net/../../etc/passwd',
    'net//x',
    'net/ipv4/ip forward',
    'net/./x',
    'a;b',
    'net/$(x)',
  ])('refuses %j', (name) => {
    expect(() => sysctlPath(name)).toThrowError(/invalid sysctl name/);
  });

  it('refuses empty values and control characters', () => {
    expect(() => checkSysctl({ name: 'a/b', value: '' })).toThrowError(/empty/);
    expect(() => checkSysctl({ name: 'a/b', value: '1\n2' })).toThrowError(/control/);
    expect(() => checkSysctl({ name: 'a/b', value: Number.NaN })).toThrowError(
      /invalid sysctl value/,
    );
    expect(checkSysctl({ name: 'a.b', value: '4096\t87380' }).value).toBe('4096\t87380');
  });
});

describe('sysctls of the own namespace (temporary root)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'netops-sysctl-'));
    mkdirSync(join(root, 'net/ipv6/conf/br0.100'), { recursive: true });
    writeFileSync(join(root, 'net/ipv6/conf/br0.100/accept_ra'), '1\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads, and writes only when different', async () => {
    expect(await readSysctl('net/ipv6/conf/br0.100/accept_ra', { root })).toBe('1');
    expect(await writeSysctl('net/ipv6/conf/br0.100/accept_ra', 0, { root })).toBe(true);
    expect(readFileSync(join(root, 'net/ipv6/conf/br0.100/accept_ra'), 'utf8')).toBe('0');
    expect(await writeSysctl('net/ipv6/conf/br0.100/accept_ra', '0', { root })).toBe(false);
    expect(await writeSysctl('net/ipv6/conf/br0.100/accept_ra', '0', { root, always: true })).toBe(
      true,
    );
  });

  it('compares multi-field values whatever the spacing', async () => {
    writeFileSync(join(root, 'net/ipv6/conf/br0.100/accept_ra'), '4096\t87380\t6291456\n');
    expect(
      await writeSysctl('net/ipv6/conf/br0.100/accept_ra', '4096 87380 6291456', { root }),
    ).toBe(false);
  });

  it('reports a missing sysctl as not-found; optional failures do not throw', async () => {
    await expect(readSysctl('net/ipv6/conf/nope/accept_ra', { root })).rejects.toMatchObject({
      kind: 'not-found',
      stage: 'sysctl',
    });
    const out = await writeSysctls(
      [
        { name: 'net/ipv6/conf/nope/accept_ra', value: 0, optional: true },
        { name: 'net/ipv6/conf/br0.100/accept_ra', value: 0 },
      ],
      { root },
    );
    expect(out.map((o) => [o.status, o.changed])).toEqual([
      ['failed', false],
      ['set', true],
    ]);
    const err: unknown = await writeSysctls([{ name: 'net/ipv6/conf/nope/accept_ra', value: 0 }], {
      root,
    }).catch((e: unknown) => e);
    expect(isNetopsError(err, 'not-found')).toBe(true);
  });
});

describe('the in-namespace sysctl script (run with the real sh on a temporary root)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'netops-script-'));
    mkdirSync(join(root, 'net/ipv4/conf/eth0'), { recursive: true });
    writeFileSync(join(root, 'net/ipv4/conf/eth0/arp_notify'), '0\n');
    writeFileSync(join(root, 'net/ipv4/ip_forward'), '1\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (sysctls: Parameters<typeof checkSysctl>[0][], command: string[]) => {
    const [cmd, ...args] = sysctlScriptArgv(sysctls.map(checkSysctl), command, root);
    return spawnSync(cmd as string, args, { encoding: 'utf8' });
  };

  it('writes each value, skips equal ones, then execs the command with stdin intact', () => {
    const before = statSync(join(root, 'net/ipv4/ip_forward')).mtimeMs;
    const [cmd, ...args] = sysctlScriptArgv(
      [
        { name: 'net.ipv4.conf.eth0.arp_notify', value: 1 },
        { name: 'net/ipv4/ip_forward', value: 1 },
      ].map(checkSysctl),
      ['cat'],
      root,
    );
    const out = execFileSync(cmd as string, args, { input: 'batch text\n', encoding: 'utf8' });
    expect(out).toBe('batch text\n');
    expect(readFileSync(join(root, 'net/ipv4/conf/eth0/arp_notify'), 'utf8')).toBe('1\n');
    expect(statSync(join(root, 'net/ipv4/ip_forward')).mtimeMs).toBe(before);
  });

  it('never evaluates values: they are written literally', () => {
    const marker = join(root, 'pwned');
    const r = run(
      [{ name: 'net/ipv4/ip_forward', value: `$(touch ${marker}) \`touch ${marker}\`` }],
      [],
    );
    expect(r.status).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(join(root, 'net/ipv4/ip_forward'), 'utf8')).toBe(
      `$(touch ${marker}) \`touch ${marker}\`\n`,
    );
  });

  it('marks a failed optional write and goes on; a failed required one exits before the command', () => {
    const optional = run(
      [
        { name: 'net/ipv6/conf/eth9/accept_dad', value: 0, optional: true },
        { name: 'net/ipv4/conf/eth0/arp_notify', value: 1 },
      ],
      ['echo', 'ran'],
    );
    expect(optional.status).toBe(0);
    expect(optional.stdout).toBe('ran\n');
    expect(optional.stderr).toMatch(/(nonexistent|No such file)[\s\S]*\ncnikit-sysctl-failed 1\n$/);

    const fatal = run([{ name: 'net/ipv6/conf/eth9/accept_dad', value: 0 }], ['echo', 'ran']);
    expect(fatal.status).toBe(SYSCTL_FATAL_EXIT);
    expect(fatal.stdout).toBe('');
    expect(fatal.stderr).toMatch(/cnikit-sysctl-failed 1\n$/);
  });
});
