import { IpBatch, applyBatch, type RunOptions, type RunResult } from '@cnikit/netops';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/plan/journal.js';
import { kernelReason } from '../../src/plan/kernel-reason.js';

/** A runner that succeeds and records the batches it got. */
function recorder(fail = false) {
  const seen: string[] = [];
  const runner = (argv: readonly string[], options: RunOptions = {}): Promise<RunResult> => {
    seen.push(options.input ?? '');
    return Promise.resolve({
      argv,
      exitCode: fail ? 1 : 0,
      stdout: '',
      stderr: fail ? 'boom\n' : '',
    });
  };
  return { seen, runner };
}

describe('Journal', () => {
  it('undoes in reverse: batches (merged into one process) and tasks', async () => {
    const { seen, runner } = recorder();
    const journal = new Journal();
    const calls: string[] = [];
    journal.task('ipam', () => {
      calls.push('ipam del');
      return Promise.resolve();
    });
    const b1 = new IpBatch().vethAdd({ name: 'v1', peerName: 'p1' });
    const b2 = new IpBatch().vethAdd({ name: 'v2', peerName: 'p2' });
    await applyBatch(b1, { runner, journal: journal.batches() });
    await applyBatch(b2, { runner, journal: journal.batches() });
    journal.task('rules', () => {
      calls.push(`rules after ${seen.length} batches`);
      return Promise.resolve();
    });
    expect(journal.size).toBe(3);
    const problems = await journal.rollback(runner);
    expect(problems).toEqual([]);
    expect(calls).toEqual(['rules after 2 batches', 'ipam del']);
    expect(seen.at(-1)).toBe('link del dev v2\nlink del dev v1\n');
    expect(seen).toHaveLength(3);
  });

  it('keeps going after a failed undo and reports every problem', async () => {
    const journal = new Journal();
    const calls: string[] = [];
    journal.task('first', () => {
      calls.push('first');
      return Promise.resolve();
    });
    journal.task('second', () => Promise.reject(new Error('nope')));
    await applyBatch(new IpBatch().vethAdd({ name: 'v1', peerName: 'p1' }), {
      runner: recorder().runner,
      journal: journal.batches(),
    });
    const problems = await journal.rollback(recorder(true).runner);
    expect(calls).toEqual(['first']);
    expect(problems).toHaveLength(2);
    expect(problems[1]?.message).toBe('second: nope');
  });
});

describe('kernelReason', () => {
  it('turns iproute2 texts into Go-style reasons', () => {
    expect(kernelReason('RTNETLINK answers: Operation not supported')).toBe(
      'operation not supported',
    );
    expect(kernelReason('Error: ipv4: Address already assigned.')).toBe(
      'ipv4: Address already assigned',
    );
  });
});
