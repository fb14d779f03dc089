import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyBatch,
  BridgeBatch,
  IpBatch,
  isNetopsError,
  Journal,
  showLink,
  showVlans,
} from '../src/index.js';
import { SYSCTL_SCRIPT } from '../src/sysctl-script.js';
import { docLine, fakeRunner, fixture } from './helpers/fake-runner.js';
import { rejection } from './helpers/rejection.js';

const NS = '/run/netns/test-c';

/**
 * The -force batch recorded in force-stdout.jsonl / force-stderr.txt (see fixtures/record.sh),
 * with a runner that replays the recording: its five writes fail as exists (which bridgeAdd
 * tolerates anyway), not-found three times and not-supported; with `tolerant`, each write
 * tolerates its own failure.
 */
function recordedForceBatch(tolerant: boolean) {
  const runner = fakeRunner({
    exitCode: 1,
    stderr: fixture('force-stderr.txt'),
    stdout: fixture('force-stdout.jsonl'),
  });
  const notFound = tolerant ? { tolerate: ['not-found' as const] } : {};
  const b = new IpBatch()
    .bridgeAdd('br0')
    .linkSet('nope0', { up: true }, notFound)
    .addrDel('br0', '10.99.0.1/24', notFound)
    .routeDel({ dst: '10.99.0.0/24', dev: 'br0' }, notFound)
    .bridgeAdd('x0', { vlanFiltering: true, ...(tolerant ? { tolerate: ['not-supported'] } : {}) });
  const h = b.query(showLink('br0'));
  return { runner, b, h };
}

describe('applyBatch: one process', () => {
  it('runs a write batch as one `ip -batch -` with the batch on stdin', async () => {
    const runner = fakeRunner();
    const b = new IpBatch().bridgeAdd('cni0').linkSet('cni0', { up: true });
    const r = await applyBatch(b, { runner });
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]?.argv).toEqual(['ip', '-batch', '-']);
    expect(runner.calls[0]?.options).toMatchObject({ input: b.text(), netns: undefined });
    expect(r.processes).toBe(1);
    expect(r.outcomes.map((o) => o.status)).toEqual(['ok', 'ok']);
    expect(r.outcomes[1]).toMatchObject({ line: 2, text: 'link set dev cni0 up' });
  });

  it('hands the namespace to the runner and reads JSON with details when the batch reads', async () => {
    const runner = fakeRunner({ stdout: docLine('container-reads.jsonl', 0) });
    const b = new IpBatch().linkSet('eth0', { up: true });
    const h = b.query(showLink('eth0'));
    const r = await applyBatch(b, { runner, netns: NS, program: '/sbin/ip', timeoutMs: 1234 });
    expect(runner.calls[0]?.argv).toEqual(['/sbin/ip', '-details', '-json', '-batch', '-']);
    expect(runner.calls[0]?.options).toMatchObject({ netns: NS, timeoutMs: 1234 });
    expect(r.read(h)?.mac).toBe('0a:58:0a:16:00:05');
    expect(r.netns).toBe(NS);
  });

  it('runs a bridge batch with `bridge -json -batch -`', async () => {
    const runner = fakeRunner({ stdout: '[]\n' });
    const b = new BridgeBatch().vlanAdd('veth0', 100, { pvid: true, untagged: true });
    const h = b.query(showVlans('veth0'));
    const r = await applyBatch(b, { runner });
    expect(runner.calls[0]?.argv).toEqual(['bridge', '-json', '-batch', '-']);
    expect(r.read(h)).toEqual([]);
  });

  it('does nothing for an empty batch without sysctls', async () => {
    const runner = fakeRunner();
    const r = await applyBatch(new IpBatch(), { runner });
    expect(runner.calls).toHaveLength(0);
    expect(r.processes).toBe(0);
  });

  it('refuses a bad namespace path before running anything', async () => {
    const runner = fakeRunner();
    const err = await rejection(applyBatch(new IpBatch().linkDel('x'), { runner, netns: 'x y' }));
    expect(err.kind).toBe('invalid');
    expect(runner.calls).toHaveLength(0);
  });
});

describe('applyBatch: failures (stderr recorded from iproute2 6.1)', () => {
  it('resumes after a tolerated failure in one more process (stop mode)', async () => {
    // stop-stderr.txt: line 2 ("link add name br0 type bridge") failed with EEXIST.
    const runner = fakeRunner({ exitCode: 1, stderr: fixture('stop-stderr.txt') }, {});
    const b = new IpBatch()
      .linkSet('br0', { up: true })
      .bridgeAdd('br0')
      .linkSet('br0', { up: true });
    const r = await applyBatch(b, { runner });
    expect(runner.calls).toHaveLength(2);
    expect(runner.calls[1]?.options.input).toBe('link set dev br0 up\n');
    expect(r.processes).toBe(2);
    expect(r.outcomes.map((o) => [o.line, o.status, o.kind])).toEqual([
      [1, 'ok', undefined],
      [2, 'tolerated', 'exists'],
      [3, 'ok', undefined],
    ]);
  });

  it('stops at an untolerated failure: typed error, later lines skipped', async () => {
    const stderr = fixture('stop-stderr.txt');
    const runner = fakeRunner({ exitCode: 1, stderr });
    const b = new IpBatch()
      .linkSet('br0', { up: true })
      .bridgeAdd('br0', { tolerate: [] })
      .linkSet('br0', { up: true });
    const err = await rejection(applyBatch(b, { runner, netns: NS }));
    expect(err).toMatchObject({
      kind: 'exists',
      stage: 'command',
      line: 2,
      lineText: 'link add name br0 type bridge',
      exitCode: 1,
      stderr,
      netns: NS,
      argv: ['ip', '-batch', '-'],
    });
    expect(err.message).toBe(
      'ip batch line 2 "link add name br0 type bridge" in /run/netns/test-c: RTNETLINK answers: File exists',
    );
    expect(err.outcomes?.map((o) => o.status)).toEqual(['ok', 'failed', 'skipped']);
    expect(runner.calls).toHaveLength(1);
  });

  it('maps every failing line of a -force batch to its kind (continue mode)', async () => {
    const { runner, b, h } = recordedForceBatch(true);
    const r = await applyBatch(b, { runner, onError: 'continue' });
    expect(runner.calls[0]?.argv).toEqual(['ip', '-details', '-json', '-force', '-batch', '-']);
    expect(r.outcomes.map((o) => [o.status, o.kind])).toEqual([
      ['tolerated', 'exists'],
      ['tolerated', 'not-found'],
      ['tolerated', 'not-found'],
      ['tolerated', 'not-found'],
      ['tolerated', 'not-supported'],
      ['ok', undefined],
    ]);
    expect(r.outcomes[1]?.message).toBe('Cannot find device "nope0"');
    expect(r.outcomes[2]?.message).toBe('Error: ipv4: Address not found.');
    expect(r.read(h)?.kind).toBe('bridge');
  });

  it('reports the first untolerated line of a -force batch, with all outcomes', async () => {
    const { runner, b } = recordedForceBatch(false);
    const err = await rejection(applyBatch(b, { runner, onError: 'continue' }));
    expect(err).toMatchObject({ kind: 'not-found', line: 2, lineText: 'link set dev nope0 up' });
    expect(err.outcomes).toHaveLength(6);
  });

  it('classifies errors with line-specific hints (EADDRNOTAVAIL on addr del)', async () => {
    const runner = fakeRunner({
      exitCode: 1,
      stderr: 'RTNETLINK answers: Cannot assign requested address\nCommand failed -:1\n',
    });
    const err = await rejection(
      applyBatch(new IpBatch().addrDel('eth0', '10.0.0.1/8'), { runner }),
    );
    expect(err.kind).toBe('not-found');
  });

  it('tolerates kinds for every line with options.tolerate', async () => {
    const runner = fakeRunner({
      exitCode: 1,
      stderr: 'RTNETLINK answers: Device or resource busy\nCommand failed -:1\n',
    });
    const r = await applyBatch(new IpBatch().linkDel('veth0'), { runner, tolerate: ['busy'] });
    expect(r.outcomes[0]).toMatchObject({ status: 'tolerated', kind: 'busy' });
  });

  it('reports a namespace that cannot be entered (nsenter) as stage netns', async () => {
    const runner = fakeRunner({ exitCode: 1, stderr: fixture('nsenter-missing.txt') });
    const err = await rejection(
      applyBatch(new IpBatch().linkDel('x'), { runner, netns: '/nonexistent-netns' }),
    );
    expect(err).toMatchObject({ kind: 'not-found', stage: 'netns', netns: '/nonexistent-netns' });
  });

  it('reports a process that cannot start, and a timeout, as stage spawn', async () => {
    const enoent = Object.assign(new Error('cannot start ip: ENOENT'), { code: 'ENOENT' });
    const err = await rejection(
      applyBatch(new IpBatch().linkDel('x'), { runner: fakeRunner(enoent) }),
    );
    expect(err).toMatchObject({ kind: 'failed', stage: 'spawn' });
    expect(err.cause).toBe(enoent);
    const slow = await rejection(
      applyBatch(new IpBatch().linkDel('x'), {
        runner: fakeRunner({ exitCode: 137, timedOut: true }),
        timeoutMs: 5,
      }),
    );
    expect(slow).toMatchObject({ kind: 'failed', stage: 'spawn' });
    expect(slow.message).toContain('timed out after 5 ms');
  });

  it('blames the line whose word the exit message quotes (exit 255, no Command failed)', async () => {
    const runner = fakeRunner({ exitCode: 255, stderr: 'Error: argument "x" is wrong: invalid\n' });
    const err = await rejection(applyBatch(new IpBatch().linkDel('x').linkDel('y'), { runner }));
    expect(err).toMatchObject({ kind: 'invalid', stage: 'command', line: 1, exitCode: 255 });
    expect(err.outcomes?.map((o) => o.status)).toEqual(['failed', 'skipped']);
  });

  it('refuses to guess when iproute2 exits without naming a line', async () => {
    const runner = fakeRunner({ exitCode: 255, stderr: 'Error: something went wrong\n' });
    const err = await rejection(applyBatch(new IpBatch().linkDel('x').linkDel('y'), { runner }));
    expect(err).toMatchObject({ stage: 'command', line: undefined, exitCode: 255 });
    expect(err.outcomes?.map((o) => o.status)).toEqual(['unknown', 'unknown']);
  });

  it('fails when the JSON documents do not match the read lines', async () => {
    const b = new IpBatch();
    b.query(showLink('a'));
    b.query(showLink('b'));
    const err = await rejection(applyBatch(b, { runner: fakeRunner({ stdout: '[]\n' }) }));
    expect(err).toMatchObject({ stage: 'parse' });
    const bad = await rejection(applyBatch(b, { runner: fakeRunner({ stdout: '[]\n{oops\n' }) }));
    expect(bad.stage).toBe('parse');
  });
});

describe('applyBatch: sysctls', () => {
  it('writes them in another namespace from the batch process itself, as positional arguments', async () => {
    const runner = fakeRunner();
    const b = new IpBatch().addrAdd('eth0', '10.22.0.5/16');
    const r = await applyBatch(b, {
      runner,
      netns: NS,
      sysctls: [
        { name: 'net/ipv6/conf/eth0/accept_dad', value: 0, optional: true },
        { name: 'net.ipv4.conf.eth0.arp_notify', value: 1 },
        { name: 'net/ipv6/conf/br0.100/accept_ra', value: '0', always: true },
      ],
    });
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]?.argv).toEqual([
      'sh',
      '-c',
      SYSCTL_SCRIPT,
      'sh',
      '/proc/sys',
      '3',
      'net/ipv6/conf/eth0/accept_dad',
      '0',
      'o-',
      'net/ipv4/conf/eth0/arp_notify',
      '1',
      '-',
      'net/ipv6/conf/br0.100/accept_ra',
      '0',
      'a-',
      'ip',
      '-batch',
      '-',
    ]);
    expect(runner.calls[0]?.options).toMatchObject({ netns: NS, input: b.text() });
    expect(r.sysctls.map((s) => s.status)).toEqual(['set', 'set', 'set']);
    expect(r.processes).toBe(1);
  });

  it('reports an optional failure and goes on; a fatal one stops before the batch', async () => {
    const sh =
      'sh: 1: cannot create /proc/sys/net/ipv6/conf/eth9/accept_dad: Directory nonexistent';
    const optional = fakeRunner({ stderr: `${sh}\ncnikit-sysctl-failed 1\n` });
    const r = await applyBatch(new IpBatch().linkSet('eth0', { up: true }), {
      runner: optional,
      netns: NS,
      sysctls: [{ name: 'net/ipv6/conf/eth9/accept_dad', value: 0, optional: true }],
    });
    expect(r.sysctls[0]).toMatchObject({ status: 'failed', message: sh });
    expect(r.outcomes[0]?.status).toBe('ok');

    const fatal = fakeRunner({ exitCode: 125, stderr: `${sh}\ncnikit-sysctl-failed 1\n` });
    const journal = new Journal();
    const err = await rejection(
      applyBatch(new IpBatch().addrAdd('eth0', '10.0.0.1/8'), {
        runner: fatal,
        netns: NS,
        journal,
        sysctls: [{ name: 'net/ipv6/conf/eth9/accept_dad', value: 0 }],
      }),
    );
    expect(err).toMatchObject({ kind: 'not-found', stage: 'sysctl', exitCode: 125 });
    expect(err.message).toContain('net/ipv6/conf/eth9/accept_dad');
    expect(journal.isEmpty).toBe(true);
  });

  describe('in the own namespace', () => {
    let root: string | undefined;
    afterEach(() => {
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('writes them directly (no process) and runs the plain batch', async () => {
      root = mkdtempSync(join(tmpdir(), 'netops-sysctl-'));
      mkdirSync(join(root, 'net/ipv4'), { recursive: true });
      writeFileSync(join(root, 'net/ipv4/ip_forward'), '0\n');
      const runner = fakeRunner();
      const r = await applyBatch(new IpBatch().linkSet('cni0', { up: true }), {
        runner,
        sysctlRoot: root,
        sysctls: [{ name: 'net.ipv4.ip_forward', value: 1 }],
      });
      expect(readFileSync(join(root, 'net/ipv4/ip_forward'), 'utf8')).toBe('1');
      expect(runner.calls[0]?.argv).toEqual(['ip', '-batch', '-']);
      expect(r.sysctls).toEqual([
        { name: 'net/ipv4/ip_forward', value: '1', status: 'set', changed: true },
      ]);
    });
  });
});

describe('Journal', () => {
  it('records the undo of the lines that succeeded, also when the batch fails later', async () => {
    const journal = new Journal();
    const runner = fakeRunner({
      exitCode: 1,
      stderr: 'RTNETLINK answers: File exists\nCommand failed -:3\n',
    });
    const b = new IpBatch()
      .vethAdd({ name: 'veth0', peerName: 'eth0', peerNetns: NS })
      .linkSet('veth0', { master: 'cni0' })
      .addrAdd('cni0', '10.22.0.1/16')
      .linkSet('veth0', { up: true });
    await expect(applyBatch(b, { runner, journal })).rejects.toThrow(/File exists/);
    expect(journal.steps).toHaveLength(1);
    expect(journal.steps[0]?.undo.text()).toBe('link del dev veth0\n');
  });

  it('plans newest first, merges steps of one namespace, and rolls back with -force', async () => {
    const journal = new Journal();
    const ok = fakeRunner();
    await applyBatch(new IpBatch().vethAdd({ name: 'veth0', peerName: 'eth0', peerNetns: NS }), {
      runner: ok,
      journal,
    });
    await applyBatch(
      new IpBatch().addrAdd('eth0', '10.22.0.5/16').routeAdd({ dst: 'default', via: '10.22.0.1' }),
      {
        runner: ok,
        journal,
        netns: NS,
      },
    );
    await applyBatch(new IpBatch().addrAdd('eth0', 'fd00::5/64'), {
      runner: ok,
      journal,
      netns: NS,
    });
    await applyBatch(new IpBatch().bridgeAdd('cni0'), { runner: ok, journal });
    const plan = journal.plan();
    expect(plan.map((p) => [p.netns, p.undo.text()])).toEqual([
      [
        NS,
        'addr del fd00::5/64 dev eth0\nroute del 0.0.0.0/0 via 10.22.0.1\naddr del 10.22.0.5/16 dev eth0\n',
      ],
      [undefined, 'link del dev veth0\n'],
    ]);

    const undo = fakeRunner(
      {},
      { exitCode: 1, stderr: 'Cannot find device "veth0"\nCommand failed -:1\n' },
    );
    expect(await journal.rollback({ runner: undo })).toEqual([]);
    expect(undo.calls.map((c) => [c.argv.join(' '), c.options.netns])).toEqual([
      ['ip -force -batch -', NS],
      ['ip -force -batch -', undefined],
    ]);
    expect(journal.isEmpty).toBe(true);
  });

  it('rollback never throws and returns the errors met', async () => {
    const journal = new Journal();
    await applyBatch(new IpBatch().addrAdd('eth0', '10.22.0.5/16'), {
      runner: fakeRunner(),
      journal,
    });
    const errors = await journal.rollback({
      runner: fakeRunner({
        exitCode: 1,
        stderr: 'RTNETLINK answers: Operation not permitted\nCommand failed -:1\n',
      }),
    });
    expect(errors).toHaveLength(1);
    expect(isNetopsError(errors[0], 'failed')).toBe(true);
  });
});
