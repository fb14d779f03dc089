/** The public spoof-check API against a scripted runner. */
import { describe, expect, it } from 'vitest';
import { gcSpoofCheck, setupSpoofCheck, teardownSpoofCheck } from '../src/index.ts';
import { fakeRunner } from './helpers/fake-runner.ts';
import { fixture } from './helpers/fixtures.ts';

const withReference = () =>
  fakeRunner((argv) =>
    argv[1] === '-j' ? { stdout: fixture('reference-spoofcheck.nft.json') } : undefined,
  );

describe('spoof check', () => {
  it('setup: one read, one transaction (golden input, MAC lowercased)', async () => {
    const fake = withReference();
    await setupSpoofCheck({
      containerId: 'ctr-ref-0001',
      ifName: 'eth0',
      hostIfName: 'veth7af68c1a',
      mac: 'C6:EB:0D:E8:07:5C',
      runner: fake.runner,
    });
    expect(fake.commands()).toEqual(['nft -j list table bridge nat', 'nft -f -']);
    expect(fake.calls[1]?.options.input).toBe(fixture('spoofcheck-setup-ref-0001.nft'));
  });

  it('teardown needs no host interface and writes nothing when nothing exists', async () => {
    const fake = fakeRunner(() => ({ exitCode: 1, stderr: 'Error: No such file or directory' }));
    await teardownSpoofCheck({ containerId: 'c1', ifName: 'eth0', runner: fake.runner });
    expect(fake.commands()).toEqual(['nft -j list table bridge nat']);
  });

  it('teardown removes the reference rules (golden input)', async () => {
    const fake = withReference();
    await teardownSpoofCheck({ containerId: 'ctr-ref-0001', ifName: 'eth0', runner: fake.runner });
    expect(fake.calls[1]?.options.input).toBe(fixture('spoofcheck-teardown-ref-0001.nft'));
  });

  it('GC removes what is not valid', async () => {
    const fake = withReference();
    await gcSpoofCheck({
      validAttachments: [{ containerID: 'ctr-ref-0002', ifname: 'eth0' }],
      runner: fake.runner,
    });
    expect(fake.calls[1]?.options.input).toBe(fixture('spoofcheck-teardown-ref-0001.nft'));
  });

  it.each([
    { mac: 'c6:eb:0d:e8:07:5c" drop' },
    { hostIfName: 'veth0"; flush ruleset' },
    { containerId: 'a b' },
  ])('refuses %j before running anything', async (bad) => {
    const fake = fakeRunner();
    await expect(
      setupSpoofCheck({
        containerId: 'c1',
        ifName: 'eth0',
        hostIfName: 'veth0',
        mac: '0a:58:0a:01:02:05',
        runner: fake.runner,
        ...bad,
      }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    expect(fake.calls).toEqual([]);
  });
});
