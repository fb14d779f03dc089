/** Turns a run's raw samples into the rows, ratios and verdicts the report shows. */
import {
  OPS,
  type BenchRun,
  type CallFailure,
  type ConfigName,
  type ConfigRun,
  type ImplId,
  type Op,
} from './model.js';
import { median, summarize, type Summary } from './stats.js';
import { evaluateTargets, type TargetInputs, type TargetOutcome } from './targets.js';
import { summarizeTraces, type TraceSummary } from './trace.js';

/** The implementations compared against the reference. */
export type Challenger = Exclude<ImplId, 'ref'>;

/** Per-implementation summaries of one measured quantity, and the challengers' median ratios. */
export interface Row<O extends string> {
  config: ConfigName;
  op: O;
  byImpl: Partial<Record<ImplId, Summary>>;
  ratio: Partial<Record<Challenger, number>>;
}

/** Medians of the sampling pass per call: peak RSS (MB), CPU (ms), minor page faults. */
export interface ResourceRow {
  config: ConfigName;
  op: Op;
  byImpl: Partial<
    Record<ImplId, { rssMb: number; cpuMs: number; minorFaults: number | undefined; n: number }>
  >;
}

/** What a missed target's time is spent on. */
export interface Explanation {
  outcome: TargetOutcome;
  /** VERSION medians (process start-up), ms. */
  startup: { impl: number | undefined; ref: number | undefined };
  /** CPU (user+sys) medians of the op from the sampling pass, ms. */
  cpu: { impl: number | undefined; ref: number | undefined };
  /** Minor page fault medians of the op from the sampling pass (whole process tree). */
  faults: { impl: number | undefined; ref: number | undefined };
  /** `node -e 0` median, when the target is about the Node entry. */
  nodeFloor: number | undefined;
  /** The implementation's own per-step trace for the op; undefined when no trace pass ran. */
  trace: TraceSummary | undefined;
}

/** Everything the renderers need. */
export interface Analysis {
  run: BenchRun;
  launchOverhead: Summary | undefined;
  nodeStartup: Summary | undefined;
  calls: Row<Op>[];
  concurrency: Row<'ADD' | 'DEL'>[];
  resources: ResourceRow[];
  targets: TargetOutcome[];
  explanations: Explanation[];
  failures: (CallFailure & { config: ConfigName })[];
}

const CHALLENGERS: readonly Challenger[] = ['ours', 'node'];

function ratios(byImpl: Partial<Record<ImplId, Summary>>): Partial<Record<Challenger, number>> {
  const out: Partial<Record<Challenger, number>> = {};
  const ref = byImpl.ref?.median;
  for (const impl of CHALLENGERS) {
    const own = byImpl[impl]?.median;
    if (own !== undefined && ref !== undefined && ref > 0) out[impl] = own / ref;
  }
  return out;
}

function row<O extends string>(
  config: ConfigName,
  op: O,
  samples: (impl: ImplId) => readonly number[] | undefined,
  impls: readonly ImplId[],
): Row<O> {
  const byImpl: Partial<Record<ImplId, Summary>> = {};
  for (const impl of impls) {
    const s = summarize(samples(impl) ?? []);
    if (s) byImpl[impl] = s;
  }
  return { config, op, byImpl, ratio: ratios(byImpl) };
}

function resourceRow(c: ConfigRun, op: Op, impls: readonly ImplId[]): ResourceRow {
  const byImpl: ResourceRow['byImpl'] = {};
  for (const impl of impls) {
    const samples = c.resources[impl]?.[op] ?? [];
    if (samples.length === 0) continue;
    byImpl[impl] = {
      rssMb: median(samples.map((s) => s.rssKb)) / 1024,
      cpuMs: median(samples.map((s) => s.cpuMs)),
      minorFaults: medianOfAll(samples.map((s) => s.minorFaults)),
      n: samples.length,
    };
  }
  return { config: c.config, op, byImpl };
}

/** The median when every sample has a value (runs recorded before faults were sampled have none). */
function medianOfAll(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === values.length && known.length > 0 ? median(known) : undefined;
}

function findRow<O extends string>(rows: Row<O>[], config: ConfigName, op: O): Row<O> | undefined {
  return rows.find((r) => r.config === config && r.op === op);
}

function explain(outcome: TargetOutcome, a: Omit<Analysis, 'explanations'>): Explanation {
  const { config, op, impl } = outcome.target;
  const version = findRow(a.calls, config, 'VERSION');
  const cpu = a.resources.find((r) => r.config === config && r.op === op);
  const files = a.run.configs.find((c) => c.config === config)?.traces[impl]?.[op];
  return {
    outcome,
    startup: { impl: version?.byImpl[impl]?.median, ref: version?.byImpl.ref?.median },
    cpu: { impl: cpu?.byImpl[impl]?.cpuMs, ref: cpu?.byImpl.ref?.cpuMs },
    faults: { impl: cpu?.byImpl[impl]?.minorFaults, ref: cpu?.byImpl.ref?.minorFaults },
    nodeFloor: impl === 'node' ? a.nodeStartup?.median : undefined,
    trace: files && files.length > 0 ? summarizeTraces(files) : undefined,
  };
}

/** Summarizes a run: rows per config and command, target verdicts, and why targets were missed. */
export function analyze(run: BenchRun): Analysis {
  const impls = run.implementations.map((i) => i.id);
  const calls = run.configs.flatMap((c) =>
    OPS.map((op) => row(c.config, op, (i) => c.calls[i]?.[op], impls)),
  );
  const concurrency = run.configs
    .filter((c) => Object.keys(c.concurrency).length > 0)
    .flatMap((c) =>
      (['ADD', 'DEL'] as const).map((op) =>
        row(c.config, op, (i) => c.concurrency[i]?.[op === 'ADD' ? 'add' : 'del'], impls),
      ),
    );
  const resources = run.configs
    .flatMap((c) => OPS.map((op) => resourceRow(c, op, impls)))
    .filter((r) => Object.keys(r.byImpl).length > 0);
  const inputs: TargetInputs = {
    callMedian: (config, op, impl) => findRow(calls, config, op)?.byImpl[impl]?.median,
    concurrencyMedian: (config, op, impl) => findRow(concurrency, config, op)?.byImpl[impl]?.median,
  };
  const base = {
    run,
    launchOverhead: summarize(run.configs.flatMap((c) => c.launchOverheadMs)),
    nodeStartup: summarize(run.configs.flatMap((c) => c.nodeStartupMs)),
    calls,
    concurrency,
    resources,
    targets: evaluateTargets(inputs),
    failures: run.configs.flatMap((c) => c.failures.map((f) => ({ ...f, config: c.config }))),
  };
  const explanations = base.targets
    .filter((t) => t.status === 'missed')
    .map((t) => explain(t, base));
  return { ...base, explanations };
}
