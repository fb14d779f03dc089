/** The performance targets, and whether a run met them. */
import type { ConfigName, ImplId, Op } from './model.js';

/** A limit on one measured number (always "at most"). */
export interface Target {
  id: string;
  /** What is compared, for the report. */
  label: string;
  /**
   * `ratio`: median of serial calls, implementation/reference; `concurrency-ratio`: median wall
   * time of the concurrent trials, implementation/reference; `ms`: median of serial calls.
   */
  kind: 'ratio' | 'concurrency-ratio' | 'ms';
  config: ConfigName;
  op: Extract<Op, 'ADD' | 'DEL'>;
  impl: Exclude<ImplId, 'ref'>;
  limit: number;
}

/** The targets of the bench issue. */
export const TARGETS: readonly Target[] = [
  {
    id: 'basic-add',
    label: 'basic ADD, ours/reference',
    kind: 'ratio',
    config: 'basic',
    op: 'ADD',
    impl: 'ours',
    limit: 2.0,
  },
  {
    id: 'basic-del',
    label: 'basic DEL, ours/reference',
    kind: 'ratio',
    config: 'basic',
    op: 'DEL',
    impl: 'ours',
    limit: 1.2,
  },
  {
    id: 'ipmasq-add',
    label: 'ipMasq ADD, ours/reference',
    kind: 'ratio',
    config: 'ipMasq',
    op: 'ADD',
    impl: 'ours',
    limit: 1.2,
  },
  {
    id: 'ipmasq-del',
    label: 'ipMasq DEL, ours/reference',
    kind: 'ratio',
    config: 'ipMasq',
    op: 'DEL',
    impl: 'ours',
    limit: 0.7,
  },
  {
    id: 'concurrent-add',
    label: 'concurrent ADDs (basic), wall ours/reference',
    kind: 'concurrency-ratio',
    config: 'basic',
    op: 'ADD',
    impl: 'ours',
    limit: 1.5,
  },
  {
    id: 'node-add',
    label: 'Node entry basic ADD, ms',
    kind: 'ms',
    config: 'basic',
    op: 'ADD',
    impl: 'node',
    limit: 120,
  },
];

/** A target's verdict. */
export interface TargetOutcome {
  target: Target;
  /** The measured ratio or ms; undefined when it was not measured. */
  value: number | undefined;
  status: 'met' | 'missed' | 'not measured';
}

/** The medians a target can be evaluated against. */
export interface TargetInputs {
  /** Median of serial calls, ms. */
  callMedian(config: ConfigName, op: Op, impl: ImplId): number | undefined;
  /** Median wall time of concurrent trials, ms. */
  concurrencyMedian(config: ConfigName, op: 'ADD' | 'DEL', impl: ImplId): number | undefined;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b <= 0 ? undefined : a / b;
}

/** The value a target limits, or undefined when its inputs were not measured. */
export function targetValue(target: Target, inputs: TargetInputs): number | undefined {
  const { config, op, impl } = target;
  switch (target.kind) {
    case 'ratio':
      return ratio(inputs.callMedian(config, op, impl), inputs.callMedian(config, op, 'ref'));
    case 'concurrency-ratio':
      return ratio(
        inputs.concurrencyMedian(config, op, impl),
        inputs.concurrencyMedian(config, op, 'ref'),
      );
    case 'ms':
      return inputs.callMedian(config, op, impl);
  }
}

/** Evaluates every target: met when the value is at most the limit. */
export function evaluateTargets(
  inputs: TargetInputs,
  targets: readonly Target[] = TARGETS,
): TargetOutcome[] {
  return targets.map((target) => {
    const value = targetValue(target, inputs);
    const status = value === undefined ? 'not measured' : value <= target.limit ? 'met' : 'missed';
    return { target, value, status };
  });
}
