import { describe, expect, it } from 'vitest';
import {
  OPERSTATE_DELAYS_MS,
  settleAddresses,
  waitForOperstate,
  type LinkInfo,
} from '../src/index.js';
import { fakeRunner, fixtureDocs, type Reply } from './helpers/fake-runner.js';

/** A recorded link document with another operstate and address flags. */
function linkDoc(operstate: string, addrFlags: Record<string, boolean> = {}): Reply {
  const [doc] = fixtureDocs('container-reads.jsonl')[0] as Array<Record<string, unknown>>;
  const addr = {
    family: 'inet6',
    local: 'fd00:22::5',
    prefixlen: 64,
    scope: 'global',
    ...addrFlags,
  };
  return { stdout: `${JSON.stringify([{ ...doc, operstate, addr_info: [addr] }])}\n` };
}

const missing: Reply = {
  exitCode: 1,
  stderr: 'Device "eth0" does not exist.\nCommand failed -:1\n',
};

function fakeSleep() {
  const slept: number[] = [];
  return { slept, sleep: (ms: number) => (slept.push(ms), Promise.resolve()) };
}

describe('waitForOperstate', () => {
  it('checks at once, then backs off, and stops as soon as the state is there', async () => {
    const runner = fakeRunner(linkDoc('LOWERLAYERDOWN'), linkDoc('DOWN'), linkDoc('UP'));
    const { slept, sleep } = fakeSleep();
    const link = await waitForOperstate('eth0', { runner, sleep, netns: '/proc/1/ns/net' });
    expect(link.operstate).toBe('UP');
    expect(runner.calls).toHaveLength(3);
    expect(runner.calls[0]?.options.netns).toBe('/proc/1/ns/net');
    expect(slept).toEqual(OPERSTATE_DELAYS_MS.slice(0, 2));
  });

  it('uses a reading the caller already has: no process, no sleep', async () => {
    const runner = fakeRunner();
    const { slept, sleep } = fakeSleep();
    const initial = { name: 'veth0', operstate: 'UP' } as LinkInfo;
    expect(await waitForOperstate('veth0', { runner, sleep, initial })).toBe(initial);
    expect(runner.calls).toHaveLength(0);
    expect(slept).toEqual([]);
  });

  it('gives up with the last state after the schedule', async () => {
    const runner = fakeRunner(linkDoc('DOWN'));
    const { slept, sleep } = fakeSleep();
    await expect(
      waitForOperstate('eth0', { runner, sleep, delaysMs: [1, 2] }),
    ).rejects.toMatchObject({
      kind: 'failed',
      stage: 'wait',
      message: 'link eth0 operstate is DOWN, not UP',
    });
    expect(runner.calls).toHaveLength(3);
    expect(slept).toEqual([1, 2]);
  });

  it('reports a link that is gone as not-found', async () => {
    await expect(waitForOperstate('eth0', { runner: fakeRunner(missing) })).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
});

describe('settleAddresses', () => {
  function clock() {
    let t = 0;
    return {
      now: () => t,
      sleep: (ms: number) => {
        t += ms;
        return Promise.resolve();
      },
    };
  }

  it('waits while an address is tentative, then returns the addresses', async () => {
    const runner = fakeRunner(
      linkDoc('UP', { tentative: true }),
      linkDoc('UP', { tentative: true }),
      linkDoc('UP'),
    );
    const c = clock();
    const addrs = await settleAddresses('eth0', { runner, ...c });
    expect(addrs.map((a) => [a.cidr, a.tentative])).toEqual([['fd00:22::5/64', false]]);
    expect(runner.calls).toHaveLength(3);
    expect(c.now()).toBe(30);
  });

  it('fails at once on dadfailed', async () => {
    const runner = fakeRunner(linkDoc('UP', { tentative: true, dadfailed: true }));
    await expect(settleAddresses('eth0', { runner, ...clock() })).rejects.toMatchObject({
      kind: 'failed',
      stage: 'wait',
      message: 'address fd00:22::5/64 on eth0 failed duplicate address detection',
    });
    expect(runner.calls).toHaveLength(1);
  });

  it('at the bound: fails when the link is UP, returns when it is not', async () => {
    const c1 = clock();
    await expect(
      settleAddresses('eth0', {
        runner: fakeRunner(linkDoc('UP', { tentative: true })),
        timeoutMs: 200,
        ...c1,
      }),
    ).rejects.toThrowError(/still tentative/);
    expect(c1.now()).toBe(200);
    const down = await settleAddresses('eth0', {
      runner: fakeRunner(linkDoc('DOWN', { tentative: true })),
      timeoutMs: 100,
      ...clock(),
    });
    expect(down[0]?.tentative).toBe(true);
  });
});
