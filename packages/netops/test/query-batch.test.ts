import { describe, expect, it } from 'vitest';
import {
  ensureBridge,
  listAddrs,
  listRoutes,
  NetopsError,
  query,
  queryBatch,
  showLink,
  showVlans,
} from '../src/index.js';
import { docLine, fakeRunner, fixture } from './helpers/fake-runner.js';

describe('queryBatch', () => {
  it('reads several things in ONE `ip -details -json -force -batch -` process, typed', async () => {
    // Line 2 (a missing link) prints nothing on stdout and an error on stderr.
    const runner = fakeRunner({
      exitCode: 1,
      stdout: docLine('host-links.jsonl', 0) + docLine('container-reads.jsonl', 1),
      stderr: 'Device "nope0" does not exist.\nCommand failed -:2\n',
    });
    const [br, missing, routes] = await queryBatch(
      [showLink('br0'), showLink('nope0'), listRoutes({ family: 6 })],
      { runner, netns: '/proc/99/ns/net' },
    );
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]?.argv).toEqual(['ip', '-details', '-json', '-force', '-batch', '-']);
    expect(runner.calls[0]?.options).toMatchObject({
      netns: '/proc/99/ns/net',
      input: 'addr show dev br0\naddr show dev nope0\nroute show table all\n',
    });
    expect(br?.kind).toBe('bridge');
    expect(missing).toBeUndefined();
    expect(routes.every((r) => r.family === 6)).toBe(true);
  });

  it('fails when a read that needs its object finds it missing', async () => {
    const runner = fakeRunner({
      exitCode: 1,
      stderr: 'Device "nope0" does not exist.\nCommand failed -:1\n',
    });
    await expect(query(listAddrs('nope0'), { runner })).rejects.toMatchObject({
      kind: 'not-found',
      line: 1,
    });
  });

  it('returns an empty tuple for no queries without running anything', async () => {
    const runner = fakeRunner();
    expect(await queryBatch([], { runner })).toEqual([]);
    expect(runner.calls).toHaveLength(0);
  });

  it('refuses to mix ip and bridge reads', async () => {
    await expect(
      queryBatch([showLink('a'), showVlans()], { runner: fakeRunner() }),
    ).rejects.toThrowError(/same program/);
  });
});

describe('ensureBridge', () => {
  it('creates, sets up and reads back in one -force process', async () => {
    const runner = fakeRunner({ stdout: docLine('host-links.jsonl', 0) });
    const r = await ensureBridge({ name: 'br0', mtu: 1400, promisc: true }, { runner });
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]?.argv).toEqual(['ip', '-details', '-json', '-force', '-batch', '-']);
    expect(runner.calls[0]?.options.input).toBe(
      'link add name br0 mtu 1400 type bridge\nlink set dev br0 promisc on\nlink set dev br0 up\naddr show dev br0\n',
    );
    expect(r.created).toBe(true);
    expect(r.link.mtu).toBe(1400);
  });

  it('accepts a bridge made by someone else', async () => {
    const runner = fakeRunner({
      exitCode: 1,
      stdout: docLine('host-links.jsonl', 0),
      stderr: fixture('stop-stderr.txt').replace('-:2', '-:1'),
    });
    const r = await ensureBridge({ name: 'br0' }, { runner });
    expect(r.created).toBe(false);
  });

  it('refuses a name taken by a link that is not a bridge', async () => {
    const runner = fakeRunner({
      exitCode: 1,
      stdout: docLine('host-links.jsonl', 2),
      stderr: 'RTNETLINK answers: File exists\nCommand failed -:1\n',
    });
    const err = (await ensureBridge({ name: 'notbr0' }, { runner }).catch(
      (e: unknown) => e,
    )) as NetopsError;
    expect(NetopsError.is(err)).toBe(true);
    expect(err.kind).toBe('exists');
    expect(err.message).toBe('"notbr0" already exists but is not a bridge');
  });
});
