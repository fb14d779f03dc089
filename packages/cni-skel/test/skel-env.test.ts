/** Checklist B (cni-spec.md §8): environment validation, in the Go skel's order. */
import { describe, expect, it } from 'vitest';
import { invokePlugin } from '../src/testing.js';
import { DEFAULT_CONFIG, env, expectCniError, stubPlugin } from './helpers.js';

const GC_CONFIG = { ...DEFAULT_CONFIG, 'cni.dev/valid-attachments': [] };

describe('B. environment validation', () => {
  it('B.6 an unknown command with valid stdin is error(4) "unknown CNI_COMMAND: NOPE"', async () => {
    const { plugin, calls } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'NOPE' }),
      stdin: DEFAULT_CONFIG,
    });
    expectCniError(out, 4);
    expect(out.error?.msg).toBe('unknown CNI_COMMAND: NOPE');
    expect(calls).toHaveLength(0);
  });

  it('B.6 an unknown command is reported only after stdin was checked', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, { env: env({ CNI_COMMAND: 'NOPE' }), stdin: '{bad' });
    expectCniError(out, 6);
  });

  it('B.7 commands are case-sensitive: "add" is error(4)', async () => {
    const { plugin, calls } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'add' }),
      stdin: DEFAULT_CONFIG,
    });
    expectCniError(out, 4);
    expect(out.error?.msg).toBe('unknown CNI_COMMAND: add');
    expect(calls).toHaveLength(0);
  });

  it('B.8 ADD without CNI_CONTAINERID is error(4) naming it', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: env({ CNI_CONTAINERID: undefined }),
      stdin: DEFAULT_CONFIG,
    });
    expectCniError(out, 4);
    expect(out.error?.msg).toBe('required env variables [CNI_CONTAINERID] missing');
  });

  it('B.9 ADD and CHECK without CNI_NETNS are error(4) naming it', async () => {
    const { plugin, calls } = stubPlugin();
    for (const command of ['ADD', 'CHECK']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_COMMAND: command, CNI_NETNS: undefined }),
        stdin: DEFAULT_CONFIG,
      });
      expectCniError(out, 4);
      expect(out.error?.msg).toBe('required env variables [CNI_NETNS] missing');
    }
    expect(calls).toHaveLength(0);
  });

  it('B.10 every missing variable is listed, in the fixed order, comma-joined', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: env({ CNI_NETNS: undefined, CNI_IFNAME: undefined, CNI_PATH: undefined }),
      stdin: DEFAULT_CONFIG,
    });
    expectCniError(out, 4);
    expect(out.error?.msg).toBe('required env variables [CNI_NETNS,CNI_IFNAME,CNI_PATH] missing');
  });

  it('B.11 a variable set to "" counts as missing', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, { env: env({ CNI_IFNAME: '' }), stdin: DEFAULT_CONFIG });
    expectCniError(out, 4);
    expect(out.error?.msg).toBe('required env variables [CNI_IFNAME] missing');
  });

  it('B.12 DEL without CNI_NETNS runs the handler; DEL without CNI_IFNAME is error(4)', async () => {
    const { plugin, calls } = stubPlugin();
    const ok = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'DEL', CNI_NETNS: undefined }),
      stdin: DEFAULT_CONFIG,
    });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe('');
    expect(calls.map((c) => [c.command, c.netns])).toEqual([['DEL', '']]);

    const bad = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'DEL', CNI_IFNAME: undefined }),
      stdin: DEFAULT_CONFIG,
    });
    expectCniError(bad, 4);
    expect(bad.error?.msg).toBe('required env variables [CNI_IFNAME] missing');
    expect(calls).toHaveLength(1);
  });

  it('B.13 CNI_ARGS unset is fine for ADD, CHECK and DEL', async () => {
    const { plugin, calls } = stubPlugin();
    for (const command of ['ADD', 'CHECK', 'DEL']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_COMMAND: command, CNI_ARGS: undefined }),
        stdin: DEFAULT_CONFIG,
      });
      expect(out.exitCode).toBe(0);
    }
    expect(calls.map((c) => [c.command, c.args.raw])).toEqual([
      ['ADD', ''],
      ['CHECK', ''],
      ['DEL', ''],
    ]);
  });

  it('B.14 GC needs only CNI_COMMAND and CNI_PATH: handler called, exit 0, no stdout', async () => {
    const { plugin, calls } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: { CNI_COMMAND: 'GC', CNI_PATH: '/opt/cni/bin', CNI_CONTAINERID: '', CNI_IFNAME: '' },
      stdin: GC_CONFIG,
    });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe('');
    expect(calls.map((c) => c.command)).toEqual(['GC']);
  });

  it('B.15 GC without CNI_PATH is error(4) naming it', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, { env: { CNI_COMMAND: 'GC' }, stdin: GC_CONFIG });
    expectCniError(out, 4);
    expect(out.error?.msg).toBe('required env variables [CNI_PATH] missing');
  });

  it('B.16 container IDs: bad characters or first character are error(4), details = the ID', async () => {
    const { plugin, calls } = stubPlugin();
    for (const id of ['some-%%container-id', '-abc', '.abc']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_CONTAINERID: id }),
        stdin: DEFAULT_CONFIG,
      });
      expectCniError(out, 4);
      expect(out.error?.msg).toBe('invalid characters in containerID');
      expect(out.error?.details).toBe(id);
    }
    expect(calls).toHaveLength(0);
    const ok = await invokePlugin(plugin, {
      env: env({ CNI_CONTAINERID: 'a_b.c-1' }),
      stdin: DEFAULT_CONFIG,
    });
    expect(ok.exitCode).toBe(0);
    expect(calls[0]?.containerId).toBe('a_b.c-1');
  });

  it('B.16 an invalid container ID is reported before missing variables (Go order)', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: env({ CNI_CONTAINERID: '-x', CNI_PATH: undefined }),
      stdin: DEFAULT_CONFIG,
    });
    expect(out.error?.msg).toBe('invalid characters in containerID');
  });

  it('B.17 interface names: 16 bytes too long, 15 fine, . .. / : and spaces refused', async () => {
    const { plugin } = stubPlugin();
    const run = (name: string) =>
      invokePlugin(plugin, { env: env({ CNI_IFNAME: name }), stdin: DEFAULT_CONFIG });

    const long = await run('abcdefghijklmnop');
    expectCniError(long, 4);
    expect(long.error?.msg).toBe('interface name is too long');
    expect(long.error?.details).toBe('interface name should be less than 16 characters');
    expect((await run('abcdefghijklmno')).exitCode).toBe(0);

    const expected: Record<string, string> = {
      '.': 'interface name is . or ..',
      '..': 'interface name is . or ..',
      'a/b': 'interface name contains / or : or whitespace characters',
      'a:b': 'interface name contains / or : or whitespace characters',
      'a b': 'interface name contains / or : or whitespace characters',
      'a\tb': 'interface name contains / or : or whitespace characters',
      'a\u0085b': 'interface name contains / or : or whitespace characters',
    };
    for (const [name, msg] of Object.entries(expected)) {
      const out = await run(name);
      expectCniError(out, 4);
      expect(out.error?.msg).toBe(msg);
    }
    // 15 characters but 16 bytes in UTF-8: Go counts bytes.
    expect((await run('abcdefghijklmné')).error?.msg).toBe('interface name is too long');
  });

  it('B.18 container ID and ifname are not validated on GC or STATUS', async () => {
    const { plugin, calls } = stubPlugin();
    for (const command of ['GC', 'STATUS']) {
      const out = await invokePlugin(plugin, {
        env: env({
          CNI_COMMAND: command,
          CNI_CONTAINERID: '%%bad',
          CNI_IFNAME: 'a/b:c d/too-long-name',
        }),
        stdin: GC_CONFIG,
      });
      expect(out.exitCode).toBe(0);
    }
    expect(calls.map((c) => c.command)).toEqual(['GC', 'STATUS']);
  });
});
