import { describe, expect, it } from 'vitest';
import { TARGETS, evaluateTargets, type Target, type TargetInputs } from '../src/targets.js';

const byId = (id: string): Target => {
  const t = TARGETS.find((x) => x.id === id);
  if (!t) throw new Error(`no target ${id}`);
  return t;
};

function inputs(
  calls: Record<string, number>,
  concurrent: Record<string, number> = {},
): TargetInputs {
  return {
    callMedian: (config, op, impl) => calls[`${config} ${op} ${impl}`],
    concurrencyMedian: (config, op, impl) => concurrent[`${config} ${op} ${impl}`],
  };
}

describe('TARGETS', () => {
  it('holds the limits of the issue', () => {
    expect(TARGETS.map((t) => [t.id, t.limit])).toEqual([
      ['basic-add', 2.0],
      ['basic-del', 1.2],
      ['ipmasq-add', 1.2],
      ['ipmasq-del', 0.7],
      ['concurrent-add', 1.5],
      ['node-add', 120],
    ]);
  });
});

describe('evaluateTargets', () => {
  it('meets a ratio target at exactly the limit and misses it above', () => {
    const [atLimit] = evaluateTargets(inputs({ 'basic ADD ours': 20, 'basic ADD ref': 10 }), [
      byId('basic-add'),
    ]);
    expect(atLimit).toMatchObject({ value: 2, status: 'met' });
    const [above] = evaluateTargets(inputs({ 'basic ADD ours': 20.5, 'basic ADD ref': 10 }), [
      byId('basic-add'),
    ]);
    expect(above).toMatchObject({ status: 'missed' });
    expect(above?.value).toBeCloseTo(2.05);
  });

  it('is not measured when either side is missing', () => {
    const [noRef] = evaluateTargets(inputs({ 'basic DEL ours': 20 }), [byId('basic-del')]);
    expect(noRef).toMatchObject({ value: undefined, status: 'not measured' });
  });

  it('compares concurrent wall times for the concurrency target', () => {
    const [o] = evaluateTargets(
      inputs(
        { 'basic ADD ours': 999, 'basic ADD ref': 1 },
        { 'basic ADD ours': 700, 'basic ADD ref': 500 },
      ),
      [byId('concurrent-add')],
    );
    expect(o).toMatchObject({ value: 1.4, status: 'met' });
  });

  it('holds the Node entry to an absolute median', () => {
    const [missed] = evaluateTargets(inputs({ 'basic ADD node': 121 }), [byId('node-add')]);
    expect(missed).toMatchObject({ value: 121, status: 'missed' });
    const [met] = evaluateTargets(inputs({ 'basic ADD node': 95 }), [byId('node-add')]);
    expect(met).toMatchObject({ status: 'met' });
  });
});
