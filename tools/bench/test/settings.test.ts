import { describe, expect, it } from 'vitest';
import { BenchError, BenchErrorCode } from '../src/errors.js';
import { DEFAULTS, readSettings } from '../src/settings.js';

const ROOT = '/repo';

function errorOf(fn: () => unknown): BenchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BenchError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('readSettings', () => {
  it('uses the defaults, with paths from the repository root', () => {
    const s = readSettings({}, ROOT);
    expect(s).toEqual({
      runs: DEFAULTS.runs,
      concurrency: 20,
      concurrencyTrials: 3,
      resourceRuns: 3,
      traceRuns: 5,
      configs: ['basic', 'ipMasq', 'dual-stack'],
      reportDir: '/repo/reports',
      referenceBin: '/usr/lib/cni/bridge',
      oursBin: '/repo/packages/bridge-plugin/dist/bridge',
      nodeEntry: undefined,
      cniPath: '/usr/lib/cni',
    });
  });

  it('reads sizes, configs and paths from the environment', () => {
    const s = readSettings(
      {
        BENCH_RUNS: '4',
        BENCH_CONCURRENCY: '0',
        BENCH_CONFIGS: 'ipMasq, basic,ipMasq',
        CNIKIT_BRIDGE_BIN: '/usr/lib/cni/bridge',
        CNIKIT_BRIDGE_NODE_ENTRY: 'packages/bridge-plugin/dist/cli.js',
      },
      ROOT,
    );
    expect(s.runs).toBe(4);
    expect(s.concurrency).toBe(0);
    expect(s.configs).toEqual(['ipMasq', 'basic']);
    expect(s.oursBin).toBe('/usr/lib/cni/bridge');
    expect(s.nodeEntry).toBe('/repo/packages/bridge-plugin/dist/cli.js');
  });

  it('treats an empty CNIKIT_BRIDGE_NODE_ENTRY as unset', () => {
    expect(readSettings({ CNIKIT_BRIDGE_NODE_ENTRY: '' }, ROOT).nodeEntry).toBeUndefined();
  });

  it.each([
    ['BENCH_RUNS', '0'],
    ['BENCH_RUNS', '2.5'],
    ['BENCH_RUNS', 'ten'],
    ['BENCH_CONCURRENCY', '-1'],
    ['BENCH_CONFIGS', 'basic,vlan'],
    ['CNIKIT_BRIDGE_BIN', '/bin/bridge\nrm'],
  ])('rejects %s=%j with a bad-setting error', (name, value) => {
    const err = errorOf(() => readSettings({ [name]: value }, ROOT));
    expect(err.code).toBe(BenchErrorCode.BadSetting);
    expect(err.message).toContain(name);
  });
});
