import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { sampleRun } from './fixtures/sample-run.js';

describe('analyze', () => {
  const a = analyze(sampleRun);

  it('summarizes each config and command per implementation, with ratios of medians', () => {
    const add = a.calls.find((r) => r.config === 'basic' && r.op === 'ADD');
    expect(add?.byImpl.ref).toMatchObject({ n: 3, median: 10, p90: 11 });
    expect(add?.ratio.ours).toBeCloseTo(1.5);
    expect(add?.ratio.node).toBeCloseTo(13);
    const ipMasqAdd = a.calls.find((r) => r.config === 'ipMasq' && r.op === 'ADD');
    expect(ipMasqAdd?.byImpl.node).toBeUndefined();
    expect(ipMasqAdd?.ratio.node).toBeUndefined();
  });

  it('rows the concurrent trials only for configs that ran them', () => {
    expect(a.concurrency.map((r) => `${r.config} ${r.op}`)).toEqual(['basic ADD', 'basic DEL']);
    expect(a.concurrency[0]?.ratio.ours).toBeCloseTo(830 / 520);
  });

  it('pools the launch overhead of all configs', () => {
    expect(a.launchOverhead).toMatchObject({ n: 4, median: 2.05 });
    expect(a.nodeStartup?.median).toBe(75.5);
  });

  it('gives every target a verdict', () => {
    expect(a.targets.map((t) => [t.target.id, t.status])).toEqual([
      ['basic-add', 'met'],
      ['basic-del', 'missed'],
      ['ipmasq-add', 'met'],
      ['ipmasq-del', 'met'],
      ['concurrent-add', 'missed'],
      ['node-add', 'missed'],
    ]);
  });

  it('explains each missed target with start-up, CPU, page faults and the trace', () => {
    expect(a.explanations.map((e) => e.outcome.target.id)).toEqual([
      'basic-del',
      'concurrent-add',
      'node-add',
    ]);
    const del = a.explanations[0]!;
    expect(del.startup).toEqual({ impl: 10, ref: 2.4 });
    expect(del.cpu).toEqual({ impl: 20, ref: 10 });
    expect(del.faults).toEqual({ impl: 1700, ref: 650 });
    expect(del.trace?.steps.map((s) => [s.step, s.medianMs])).toEqual([
      ['veth delete', 22],
      ['ipam del', 4.5],
    ]);
    expect(a.explanations[2]?.nodeFloor).toBe(75.5);
    expect(a.explanations[2]?.trace).toBeUndefined();
  });

  it('gives no page-fault median where a sample lacks the count (runs recorded before it)', () => {
    const mixed = analyze({
      ...sampleRun,
      configs: sampleRun.configs.map((c) =>
        c.config !== 'basic'
          ? c
          : {
              ...c,
              resources: {
                ...c.resources,
                ours: {
                  ...c.resources.ours,
                  ADD: [
                    { rssKb: 32768, cpuMs: 20, minorFaults: 1900 },
                    { rssKb: 32768, cpuMs: 30 },
                  ],
                },
              },
            },
      ),
    });
    const add = mixed.resources.find((r) => r.config === 'basic' && r.op === 'ADD');
    expect(add?.byImpl.ours).toMatchObject({ cpuMs: 25, minorFaults: undefined, n: 2 });
    expect(add?.byImpl.ref?.minorFaults).toBe(700);
  });

  it('keeps the config of each failure', () => {
    expect(a.failures).toEqual([
      {
        config: 'ipMasq',
        impl: 'node',
        op: 'ADD',
        phase: 'round 1',
        message: 'code 999: iptables | failed',
      },
    ]);
  });
});
