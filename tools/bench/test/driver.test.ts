import { describe, expect, it } from 'vitest';
import { failureMessage, succeeded } from '../src/driver/call.js';
import { parseTimeOutput, turnOrder } from '../src/driver/driver.js';
import { parseJob, type DriverJob } from '../src/driver/job.js';

const job: DriverJob = {
  config: 'basic',
  implementations: [
    { id: 'ref', label: 'reference', argv: ['/usr/lib/cni/bridge'], traced: false },
  ],
  containerNetns: ['/run/netns/cnk-1-a-c0', '/run/netns/cnk-1-a-c1'],
  runs: 2,
  concurrency: 2,
  concurrencyTrials: 1,
  resourceRuns: 1,
  traceRuns: 0,
  cniPath: '/usr/lib/cni',
  workDir: '/tmp/w',
  outputFile: '/tmp/w/out.json',
};

describe('parseJob', () => {
  it('accepts a well-formed job', () => {
    expect(parseJob(JSON.stringify(job))).toEqual(job);
  });

  it.each([
    ['an unknown config', { config: 'vlan' }],
    ['a relative path', { workDir: 'tmp/w' }],
    ['fewer namespaces than concurrency', { concurrency: 3 }],
    ['a negative count', { runs: -1 }],
    ['a relative program', { implementations: [{ ...job.implementations[0], argv: ['bridge'] }] }],
  ])('rejects %s', (_what, change) => {
    expect(() => parseJob(JSON.stringify({ ...job, ...change }))).toThrow(/driver job/);
  });
});

describe('parseTimeOutput', () => {
  it('reads peak RSS, user+sys CPU and minor page faults', () => {
    expect(parseTimeOutput('4096 0.01 0.02 1873\n')).toEqual({
      rssKb: 4096,
      cpuMs: 30,
      minorFaults: 1873,
    });
  });

  it('reads a line without the fault count (the format of earlier runs)', () => {
    expect(parseTimeOutput('4096 0.01 0.02\n')).toEqual({ rssKb: 4096, cpuMs: 30 });
  });

  it('takes the last line when GNU time reports a failed command first', () => {
    expect(parseTimeOutput('Command exited with non-zero status 1\n5120 0.00 0.10\n')).toEqual({
      rssKb: 5120,
      cpuMs: 100,
    });
  });

  it('is undefined for anything else', () => {
    expect(parseTimeOutput('')).toBeUndefined();
  });
});

describe('failureMessage', () => {
  const base = { ms: 1, exitCode: 1, stdout: '', stderr: '' };

  it('quotes the CNI error a plugin printed', () => {
    const stdout = JSON.stringify({ cniVersion: '1.0.0', code: 999, msg: 'bad', details: 'why' });
    expect(failureMessage({ ...base, stdout })).toBe('code 999: bad; why');
  });

  it('falls back to the last lines of stderr and the exit code', () => {
    expect(failureMessage({ ...base, exitCode: 2, stderr: 'a\nb\nc\nd\n' })).toBe('exit 2: b c d');
  });

  it('names a spawn failure and never counts it as success', () => {
    const o = { ...base, exitCode: -1, spawnError: 'spawnSync /x ENOENT' };
    expect(failureMessage(o)).toBe('spawnSync /x ENOENT');
    expect(succeeded(o)).toBe(false);
    expect(succeeded({ ...base, exitCode: 0 })).toBe(true);
  });
});

describe('turnOrder', () => {
  it('keeps the order in even turns and reverses it in odd ones, without touching the input', () => {
    const impls = ['ref', 'ours', 'node'] as const;
    expect(turnOrder(impls, 0)).toEqual(['ref', 'ours', 'node']);
    expect(turnOrder(impls, 1)).toEqual(['node', 'ours', 'ref']);
    expect(turnOrder(impls, 2)).toEqual(['ref', 'ours', 'node']);
    expect(impls).toEqual(['ref', 'ours', 'node']);
  });
});
