import { FakeBinDir } from '@cnikit-tools/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createExecaRunner,
  createSpawnRunner,
  execaRunner,
  inNetns,
  spawnRunner,
  type CommandRunner,
} from '../src/index.js';

const bin = new FakeBinDir('netops-runner-');
// A stand-in for nsenter that prints its arguments, then runs the command after "--".
const fakeNsenter = bin.add(
  'nsenter',
  'printf "%s|" "$@"; echo; while [ "$1" != "--" ]; do shift; done; shift; exec "$@"',
);
afterAll(() => bin.cleanup());

describe.each([
  ['execaRunner', execaRunner, createExecaRunner({ nsenter: fakeNsenter })],
  ['spawnRunner', spawnRunner, createSpawnRunner({ nsenter: fakeNsenter })],
] as Array<[string, CommandRunner, CommandRunner]>)('%s', (_name, runner, withFakeNsenter) => {
  it('feeds stdin and returns stdout, stderr and the exit code without rejecting', async () => {
    const r = await runner(['sh', '-c', 'cat; echo oops >&2; exit 3'], {
      input: 'line 1\nline 2\n',
    });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'line 1\nline 2\n', stderr: 'oops\n' });
    expect(r.argv).toEqual(['sh', '-c', 'cat; echo oops >&2; exit 3']);
    expect(r.timedOut).toBeUndefined();
  });

  it('passes extra environment variables', async () => {
    const r = await runner(['sh', '-c', 'printf %s "$NETOPS_T"'], { env: { NETOPS_T: 'v' } });
    expect(r.stdout).toBe('v');
  });

  it('rejects with a code when the program cannot start', async () => {
    await expect(runner(['/nonexistent/netops-prog'])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('kills a child that outlives timeoutMs', async () => {
    const r = await runner(['sleep', '5'], { timeoutMs: 100 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).not.toBe(0);
  });

  it('prefixes nsenter --net=PATH -- for another namespace', async () => {
    const r = await withFakeNsenter(['echo', 'inside'], { netns: '/proc/42/ns/net' });
    expect(r.argv).toEqual([fakeNsenter, '--net=/proc/42/ns/net', '--', 'echo', 'inside']);
    expect(r.stdout).toBe('--net=/proc/42/ns/net|--|echo|inside|\ninside\n');
  });
});

describe('inNetns', () => {
  it('leaves argv alone for the own namespace and checks the path otherwise', () => {
    expect(inNetns(['ip', 'link'], undefined)).toEqual(['ip', 'link']);
    expect(inNetns(['ip', 'link'], '/run/netns/x')).toEqual([
      'nsenter',
      '--net=/run/netns/x',
      '--',
      'ip',
      'link',
    ]);
    // As @cnikit/iptables runs nft and iptables-restore in a namespace.
    expect(inNetns(['nft', '-f', '-'], '/run/netns/a')).toEqual([
      'nsenter',
      '--net=/run/netns/a',
      '--',
      'nft',
      '-f',
      '-',
    ]);
    expect(() => inNetns(['ip'], 'x')).toThrowError(/invalid network namespace path/);
  });
});
