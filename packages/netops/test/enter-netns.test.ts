/** applyBatch with an `enterNetns` seam: another namespace's sysctls written from this process. */
import { describe, expect, it } from 'vitest';
import { applyBatch, IpBatch, type NetnsEnter, type SyncSysctlFiles } from '../src/index.js';
import { fakeRunner } from './helpers/fake-runner.js';
import { rejection } from './helpers/rejection.js';

const NS = '/run/netns/test-c';

/** Files of a fake /proc/sys; a path listed in `failing` refuses writes. */
function fakeFiles(initial: Record<string, string>, failing: string[] = []) {
  const files = new Map(Object.entries(initial));
  const writes: string[] = [];
  const io: SyncSysctlFiles = {
    read(path) {
      const value = files.get(path);
      if (value === undefined) throw new Error(`ENOENT: ${path}`);
      return value;
    },
    write(path, text) {
      if (failing.includes(path)) throw new Error(`EACCES: permission denied, open '${path}'`);
      files.set(path, `${text}\n`);
      writes.push(`${path}=${text}`);
    },
  };
  return { io, writes };
}

function entering(io: SyncSysctlFiles, seen: string[]): NetnsEnter {
  return (netns, work) => {
    seen.push(netns);
    return Promise.resolve({ value: work(io) });
  };
}

describe('applyBatch: sysctls through enterNetns', () => {
  it('writes them from this process and runs the batch without a shell in front', async () => {
    const { io, writes } = fakeFiles({
      '/proc/sys/net/ipv4/conf/eth0/arp_notify': '0\n',
      '/proc/sys/net/ipv6/conf/eth0/accept_dad': '0\n',
    });
    const seen: string[] = [];
    const runner = fakeRunner();
    const r = await applyBatch(new IpBatch().linkSet('eth0', { up: true }), {
      runner,
      netns: NS,
      enterNetns: entering(io, seen),
      sysctls: [
        { name: 'net/ipv6/conf/eth0/accept_dad', value: 0, optional: true },
        { name: 'net/ipv4/conf/eth0/arp_notify', value: 1, optional: true },
      ],
    });
    expect(seen).toEqual([NS]);
    expect(writes).toEqual(['/proc/sys/net/ipv4/conf/eth0/arp_notify=1']);
    expect(r.sysctls.map((s) => [s.status, s.changed])).toEqual([
      ['set', false],
      ['set', true],
    ]);
    expect(runner.calls.map((c) => c.argv[0])).toEqual(['ip']);
    expect(runner.calls[0]?.options.netns).toBe(NS);
  });

  it('reports an optional failure and stops at a required one before the batch runs', async () => {
    const arp = '/proc/sys/net/ipv4/conf/eth0/arp_notify';
    const keep = '/proc/sys/net/ipv6/conf/eth0/keep_addr_on_down';
    const { io } = fakeFiles({}, [arp, keep]);
    const runner = fakeRunner();
    const err = await rejection(
      applyBatch(new IpBatch().linkSet('eth0', { up: true }), {
        runner,
        netns: NS,
        enterNetns: entering(io, []),
        sysctls: [
          { name: arp, value: 1, optional: true },
          { name: keep, value: 1 },
          { name: 'net/ipv6/conf/eth0/disable_ipv6', value: 0 },
        ].map((s) => ({ ...s, name: s.name.replace('/proc/sys/', '') })),
      }),
    );
    expect(err.stage).toBe('sysctl');
    expect(err.message).toContain('permission denied');
    expect(err.message).toContain('net/ipv6/conf/eth0/keep_addr_on_down');
    expect(runner.calls).toEqual([]);
  });

  it('falls back to the shell in the batch process when the namespace cannot be entered', async () => {
    const runner = fakeRunner();
    await applyBatch(new IpBatch().linkSet('eth0', { up: true }), {
      runner,
      netns: NS,
      enterNetns: () => Promise.resolve(undefined),
      sysctls: [{ name: 'net/ipv4/conf/eth0/arp_notify', value: 1, optional: true }],
    });
    expect(runner.calls.map((c) => c.argv[0])).toEqual(['sh']);
  });
});
