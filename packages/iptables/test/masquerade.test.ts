/** The public masquerade API against a scripted runner: exact commands, inputs and errors. */
import { describe, expect, it } from 'vitest';
import type { NetfilterError } from '../src/index.ts';
import {
  checkMasquerade,
  chooseBackend,
  gcMasquerade,
  isNetfilterError,
  setupMasquerade,
  teardownMasquerade,
} from '../src/index.ts';
import { enoent, fakeRunner, type Responder } from './helpers/fake-runner.ts';
import { fixture } from './helpers/fixtures.ts';

const EMPTY_SAVE = '*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';
const REF1 = {
  network: 'refnet',
  containerId: 'ctr-ref-0001',
  ifName: 'eth0',
};
const DUAL = ['10.77.0.2/24', 'fd00:77::2/64'];
const NO_NFT_TABLE = { exitCode: 1, stderr: 'Error: No such file or directory\n' };

/**
 * A host whose nat tables print `v4`/`v6` and whose nft has no masquerade table. Its restore refuses
 * a `-N` of a chain the family's table already has, as iptables-restore does (whole transaction).
 */
const host =
  (v4: string, v6: string, extra: Responder = () => undefined): Responder =>
  (argv, options) => {
    const table = argv[0]?.startsWith('ip6') ? v6 : v4;
    const created = /^-N (\S+)$/m.exec(options.input ?? '')?.[1];
    return (
      extra(argv, options) ??
      (argv[0] === 'iptables-save'
        ? { stdout: v4 }
        : argv[0] === 'ip6tables-save'
          ? { stdout: v6 }
          : argv[0]?.endsWith('tables-restore') && created && table.includes(`:${created} `)
            ? { exitCode: 1, stderr: `iptables-restore: line 2 failed: Chain already exists.\n` }
            : argv[0] === 'nft' && argv[1] === '-j'
              ? NO_NFT_TABLE
              : undefined)
    );
  };

async function caught(p: Promise<unknown>): Promise<NetfilterError> {
  try {
    await p;
  } catch (err) {
    if (isNetfilterError(err)) return err;
    throw err;
  }
  throw new Error('expected a NetfilterError');
}

describe('setupMasquerade', () => {
  it('iptables, a new attachment: one restore per family, nothing read (golden input)', async () => {
    const fake = fakeRunner(host(EMPTY_SAVE, EMPTY_SAVE));
    const result = await setupMasquerade({ ...REF1, ips: DUAL, runner: fake.runner });
    expect(result).toEqual({ backend: 'iptables' });
    expect(fake.commands().sort()).toEqual([
      'ip6tables-restore --noflush --wait',
      'iptables-restore --noflush --wait',
    ]);
    const input = (cmd: string) => fake.calls.find((c) => c.argv[0] === cmd)?.options.input;
    expect(input('iptables-restore')).toBe(fixture('setup-fresh-ref-0001.iptables.restore'));
    expect(input('ip6tables-restore')).toBe(fixture('setup-fresh-ref-0001.ip6tables.restore'));
  });

  it('iptables: a refused first write is followed by the probe, a read and a planned write (golden input)', async () => {
    // The tables are empty, yet the blind write fails (as on a transient error): the planned path
    // still writes what setup wants, its chain declared rather than created.
    const refuseBlind: Responder = (argv, options) =>
      options.input?.includes('\n-N ')
        ? { exitCode: 1, stderr: 'iptables-restore: line 2 failed\n' }
        : undefined;
    const fake = fakeRunner(host(EMPTY_SAVE, EMPTY_SAVE, refuseBlind));
    const result = await setupMasquerade({ ...REF1, ips: DUAL, runner: fake.runner });
    expect(result).toEqual({ backend: 'iptables' });
    expect(fake.commands().sort()).toEqual([
      'ip6tables-restore --noflush --wait',
      'ip6tables-restore --noflush --wait',
      'ip6tables-save -t nat',
      'iptables-restore --noflush --wait',
      'iptables-restore --noflush --wait',
      'iptables-save -t nat',
    ]);
    const planned = (cmd: string) =>
      fake.calls.filter((c) => c.argv[0] === cmd).map((c) => c.options.input)[1];
    expect(planned('iptables-restore')).toBe(fixture('setup-ref-0001.iptables.restore'));
    expect(planned('ip6tables-restore')).toBe(fixture('setup-ref-0001.ip6tables.restore'));
  });

  it('iptables: a repeated setup has its first write refused, reads, and writes nothing more', async () => {
    const fake = fakeRunner(
      host(
        fixture('reference-two-containers.iptables-save'),
        fixture('reference-two-containers.ip6tables-save'),
      ),
    );
    await setupMasquerade({ ...REF1, ips: DUAL, backend: 'iptables', runner: fake.runner });
    expect(fake.commands().sort()).toEqual([
      'ip6tables-restore --noflush --wait',
      'ip6tables-save -t nat',
      'iptables-restore --noflush --wait',
      'iptables-save -t nat',
    ]);
    expect(
      fake.calls.filter((c) => c.argv[0]?.endsWith('restore')).map((c) => c.options.input),
    ).toEqual([expect.stringContaining('\n-N CNI-'), expect.stringContaining('\n-N CNI-')]);
  });

  it('runs every command in the given namespace', async () => {
    const fake = fakeRunner(host(EMPTY_SAVE, EMPTY_SAVE));
    await setupMasquerade({
      ...REF1,
      ips: ['10.77.0.2/24'],
      backend: 'iptables',
      runner: fake.runner,
      netns: '/run/netns/x',
    });
    const refused = fakeRunner(host(fixture('reference-two-containers.iptables-save'), EMPTY_SAVE));
    await setupMasquerade({
      ...REF1,
      ips: ['10.77.0.2/24'],
      runner: refused.runner,
      netns: '/run/netns/x',
    });
    const netnsOf = (f: typeof fake) => f.calls.map((c) => c.options.netns);
    expect(netnsOf(fake)).toEqual(['/run/netns/x']);
    expect(netnsOf(refused)).toEqual(['/run/netns/x', '/run/netns/x']);
  });

  it('nftables: one read and one transaction (golden input)', async () => {
    const fake = fakeRunner((argv) =>
      argv[1] === '-j' ? { stdout: fixture('nft-four-attachments.json') } : undefined,
    );
    await setupMasquerade({
      network: 'unit-test',
      ifName: 'eth0',
      containerId: 'two',
      ips: ['192.168.1.2/24', '2001:db8::2/64'],
      backend: 'nftables',
      runner: fake.runner,
    });
    expect(fake.commands()).toEqual([
      'nft -j list chain inet cni_plugins_masquerade masq_checks',
      'nft -f -',
    ]);
    expect(fake.calls[1]?.options.input).toBe(fixture('nft-setup-unit-test-two.nft'));
  });

  it('nftables: reads again and retries once when a handle vanished meanwhile', async () => {
    let applies = 0;
    const fake = fakeRunner((argv) => {
      if (argv[1] === '-j')
        return applies === 0 ? { stdout: fixture('nft-four-attachments.json') } : NO_NFT_TABLE;
      applies += 1;
      return applies === 1 ? { exitCode: 1, stderr: 'Error: Could not process rule' } : undefined;
    });
    await setupMasquerade({
      network: 'unit-test',
      ifName: 'eth0',
      containerId: 'two',
      ips: ['192.168.1.2/24'],
      backend: 'nftables',
      runner: fake.runner,
    });
    expect(fake.commands()).toHaveLength(4);
    expect(fake.calls[3]?.options.input).not.toContain('delete rule');
  });

  it('chooses nftables when iptables is not installed and nft works', async () => {
    const fake = fakeRunner((argv) =>
      argv[0]?.includes('tables-') ? enoent(argv[0]) : argv[1] === '-j' ? NO_NFT_TABLE : undefined,
    );
    const result = await setupMasquerade({ ...REF1, ips: DUAL, runner: fake.runner });
    expect(result.backend).toBe('nftables');
    expect(fake.commands()).toContain('nft --check -f -');
  });

  it('refuses an unknown backend before running anything', async () => {
    const fake = fakeRunner();
    const err = await caught(
      setupMasquerade({ ...REF1, ips: DUAL, backend: 'ebtables', runner: fake.runner }),
    );
    expect(err.code).toBe('unknown-backend');
    expect(err.message).toBe('unknown ipmasq backend "ebtables"');
    expect(fake.calls).toEqual([]);
  });

  it.each([
    { network: 'bad"net' },
    { containerId: 'id\n-A POSTROUTING -j ACCEPT' },
    { ifName: 'eth 0' },
    { ips: ['10.0.0.1/24 -j ACCEPT'] },
    { netns: 'relative/path' },
  ])('refuses %j before running anything', async (bad) => {
    const fake = fakeRunner();
    const err = await caught(setupMasquerade({ ...REF1, ips: DUAL, runner: fake.runner, ...bad }));
    expect(err.code).toBe('invalid-input');
    expect(fake.calls).toEqual([]);
  });

  it('keeps argv, input, stderr and exit code of a failed restore', async () => {
    const fake = fakeRunner(
      host(EMPTY_SAVE, EMPTY_SAVE, (argv) =>
        argv[0] === 'iptables-restore' ? { exitCode: 2, stderr: 'line 3: bad\n' } : undefined,
      ),
    );
    const err = await caught(
      setupMasquerade({ ...REF1, ips: ['10.77.0.2/24'], runner: fake.runner }),
    );
    expect(err).toMatchObject({
      code: 'command-failed',
      backend: 'iptables',
      argv: ['iptables-restore', '--noflush', '--wait'],
      stderr: 'line 3: bad\n',
      exitCode: 2,
    });
    expect(err.input).toBe(fixture('setup-ref-0001.iptables.restore').replace(/.*fd00.*\n/g, ''));
    expect(err.message).toContain('line 3: bad');
  });
});

describe('teardownMasquerade', () => {
  it('finds the container by identity alone and writes one restore (golden input)', async () => {
    const fake = fakeRunner(host(fixture('reference-two-containers.iptables-save'), EMPTY_SAVE));
    await teardownMasquerade({ ...REF1, runner: fake.runner });
    expect(fake.commands().sort()).toEqual([
      'ip6tables-save -t nat',
      'iptables-restore --noflush --wait',
      'iptables-save -t nat',
      'nft -j list chain inet cni_plugins_masquerade masq_checks',
    ]);
    const restore = fake.calls.find((c) => c.argv[0] === 'iptables-restore');
    expect(restore?.options.input).toBe(fixture('teardown-ref-0001.iptables.restore'));
  });

  it('with known addresses deletes what setup wrote in one restore, reading nothing', async () => {
    const fake = fakeRunner(host(fixture('reference-two-containers.iptables-save'), EMPTY_SAVE));
    await teardownMasquerade({ ...REF1, ips: ['10.77.0.2/24'], runner: fake.runner });
    // Found whole on iptables: the ADD used iptables, so nftables is not listed either.
    expect(fake.commands()).toEqual(['iptables-restore --noflush --wait']);
    const restore = fake.calls.find((c) => c.argv[0] === 'iptables-restore');
    expect(restore?.options.input).toBe(fixture('teardown-ref-0001.iptables.restore'));
  });

  it('reads and plans when the blind restore fails (rules from other addresses)', async () => {
    let restores = 0;
    const fake = fakeRunner(
      host(fixture('reference-two-containers.iptables-save'), EMPTY_SAVE, (argv) =>
        argv[0] === 'iptables-restore' && restores++ === 0
          ? { exitCode: 1, stderr: 'iptables-restore: line 2 failed\n' }
          : undefined,
      ),
    );
    await teardownMasquerade({ ...REF1, ips: ['10.88.0.5/16'], runner: fake.runner });
    expect(fake.commands()).toEqual(
      expect.arrayContaining([
        'iptables-save -t nat',
        'iptables-restore --noflush --wait',
        'nft -j list chain inet cni_plugins_masquerade masq_checks',
      ]),
    );
    expect(fake.commands().filter((c) => c.startsWith('ip6tables'))).toEqual([]);
    const [blind, planned] = fake.calls
      .filter((c) => c.argv[0] === 'iptables-restore')
      .map((c) => c.options.input);
    expect(blind).toContain('-D POSTROUTING -s 10.88.0.5/32 ');
    expect(planned).toBe(fixture('teardown-ref-0001.iptables.restore'));
  });

  it('reads both families when given no addresses', async () => {
    const fake = fakeRunner(host(EMPTY_SAVE, EMPTY_SAVE));
    await teardownMasquerade({ ...REF1, ips: [], runner: fake.runner });
    expect(
      fake
        .commands()
        .filter((c) => c.includes('tables-save'))
        .sort(),
    ).toEqual(['ip6tables-save -t nat', 'iptables-save -t nat']);
  });

  it('ignores the errors of a backend that is not installed', async () => {
    const fake = fakeRunner((argv) => (argv[0] === 'nft' ? enoent('nft') : { stdout: EMPTY_SAVE }));
    await expect(teardownMasquerade({ ...REF1, runner: fake.runner })).resolves.toBeUndefined();
  });

  it('reports the errors of usable backends, joined', async () => {
    const fake = fakeRunner(
      host(fixture('reference-two-containers.iptables-save'), EMPTY_SAVE, (argv) =>
        argv[0] === 'iptables-restore'
          ? { exitCode: 1, stderr: 'iptables broke' }
          : argv[0] === 'nft' && argv[1] === '-j'
            ? { exitCode: 1, stderr: 'nft broke' }
            : undefined,
      ),
    );
    const err = await caught(teardownMasquerade({ ...REF1, runner: fake.runner }));
    expect(err.code).toBe('multiple');
    expect(err.errors).toHaveLength(2);
    expect(err.message).toMatch(/nft broke\n.*iptables broke/);
  });
});

describe('gcMasquerade', () => {
  it('removes the stale container of the network on iptables and nftables', async () => {
    const fake = fakeRunner((argv) =>
      argv[0] === 'iptables-save'
        ? { stdout: fixture('reference-two-containers.iptables-save') }
        : argv[0] === 'ip6tables-save'
          ? { stdout: fixture('reference-two-containers.ip6tables-save') }
          : argv[1] === '-j'
            ? { stdout: fixture('nft-four-attachments.json') }
            : undefined,
    );
    await gcMasquerade({
      network: 'refnet',
      validAttachments: [{ containerID: 'ctr-ref-0002', ifname: 'eth0' }],
      runner: fake.runner,
    });
    const inputs = fake.calls
      .filter((c) => c.argv.includes('--noflush'))
      .map((c) => c.options.input);
    expect(inputs).toHaveLength(2);
    for (const input of inputs) {
      expect(input).toContain('-X CNI-188bbe243c5eea7fc5930c46');
      expect(input).not.toContain('ctr-ref-0002');
    }
    // No nft rule belongs to "refnet": nothing to write there.
    expect(fake.commands()).not.toContain('nft -f -');
  });
});

describe('checkMasquerade', () => {
  it('passes when the rules exist and names what is missing otherwise', async () => {
    const present = fakeRunner(
      host(
        fixture('reference-two-containers.iptables-save'),
        fixture('reference-two-containers.ip6tables-save'),
      ),
    );
    await expect(
      checkMasquerade({ ...REF1, ips: DUAL, backend: 'iptables', runner: present.runner }),
    ).resolves.toBeUndefined();
    const absent = fakeRunner(host(EMPTY_SAVE, EMPTY_SAVE));
    const err = await caught(
      checkMasquerade({ ...REF1, ips: DUAL, backend: 'iptables', runner: absent.runner }),
    );
    expect(err.code).toBe('multiple');
    expect(err.errors.every((e) => isNetfilterError(e) && e.code === 'missing-rules')).toBe(true);
  });

  it('checks nftables rules by comment and addresses', async () => {
    const fake = fakeRunner(() => ({ stdout: fixture('nft-four-attachments.json') }));
    const one = { network: 'unit-test', ifName: 'eth0', containerId: 'one', backend: 'nftables' };
    // The fixture is a chain listing without the postrouting chain: reported missing.
    const err = await caught(
      checkMasquerade({ ...one, ips: ['192.168.1.1/24'], runner: fake.runner }),
    );
    expect(err.message).toContain('postrouting');
    expect(err.message).not.toContain('192.168.1.1');
    const wrong = await caught(
      checkMasquerade({ ...one, ips: ['192.168.1.9/24'], runner: fake.runner }),
    );
    expect(wrong.message).toContain('ip saddr 192.168.1.9');
  });
});

describe('chooseBackend', () => {
  it('takes an explicit choice without probing', async () => {
    const fake = fakeRunner();
    await expect(chooseBackend({ requested: 'nftables', runner: fake.runner })).resolves.toBe(
      'nftables',
    );
    expect(fake.calls).toEqual([]);
  });

  it('falls back to iptables when neither backend is usable', async () => {
    const fake = fakeRunner((argv) => enoent(argv[0] ?? ''));
    await expect(chooseBackend({ runner: fake.runner })).resolves.toBe('iptables');
    expect(fake.commands()).toEqual(['iptables-save -t nat', 'nft --check -f -']);
  });
});
