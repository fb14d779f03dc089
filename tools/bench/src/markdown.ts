/** The Markdown report, and the part of it the bench prints. */
import type { Analysis, Challenger, Explanation, Row } from './analyze.js';
import { cell, medianP90, medianRange, ms, ratio, table } from './format.js';
import type { ImplementationSpec, ImplId } from './model.js';
import type { TargetOutcome } from './targets.js';

/** How many of the slowest traced steps an explanation lists. */
const SLOWEST_STEPS = 5;

function challengers(a: Analysis): ImplementationSpec[] {
  return a.run.implementations.filter((i) => i.id !== 'ref');
}

function shortId(id: ImplId): string {
  return id === 'ours' ? 'ours' : id;
}

function comparisonHeader(a: Analysis, first: string[]): string[] {
  const ref = a.run.implementations.find((i) => i.id === 'ref');
  return [
    ...first,
    ref?.label ?? 'reference',
    ...challengers(a).flatMap((i) => [i.label, `${shortId(i.id)}/ref`]),
  ];
}

function comparisonRows<O extends string>(
  a: Analysis,
  rows: readonly Row<O>[],
  format: (r: Row<O>, impl: ImplId) => string,
): string[][] {
  return rows.map((r) => [
    r.config,
    r.op,
    format(r, 'ref'),
    ...challengers(a).flatMap((i) => {
      const value = r.ratio[i.id as Challenger];
      return [format(r, i.id), value === undefined ? '–' : ratio(value)];
    }),
  ]);
}

function targetValue(o: TargetOutcome): string {
  if (o.value === undefined) return '–';
  return o.target.kind === 'ms' ? `${ms(o.value)} ms` : ratio(o.value);
}

function targetLimit(o: TargetOutcome): string {
  return o.target.kind === 'ms' ? `≤ ${o.target.limit} ms` : `≤ ${ratio(o.target.limit)}`;
}

function concurrentLabel(a: Analysis, o: TargetOutcome): string {
  return o.target.kind === 'concurrency-ratio'
    ? `${a.run.meta.concurrency} ${o.target.label}`
    : o.target.label;
}

/** The targets table. */
export function renderTargets(a: Analysis): string {
  return table(
    ['target', 'limit', 'measured', 'status'],
    a.targets.map((o) => [concurrentLabel(a, o), targetLimit(o), targetValue(o), o.status]),
  );
}

/** The serial-call table: median (p90) per implementation and ratios of medians. */
export function renderCallTable(a: Analysis): string {
  return table(
    comparisonHeader(a, ['config', 'command']),
    comparisonRows(a, a.calls, (r, impl) => medianP90(r.byImpl[impl])),
  );
}

function renderConcurrencyTable(a: Analysis): string {
  return table(
    comparisonHeader(a, ['config', 'command']),
    comparisonRows(a, a.concurrency, (r, impl) => medianRange(r.byImpl[impl])),
  );
}

function renderResourceTable(a: Analysis): string {
  const impls = a.run.implementations;
  return table(
    ['config', 'command', ...impls.map((i) => i.label)],
    a.resources.map((r) => [
      r.config,
      r.op,
      ...impls.map((i) => {
        const v = r.byImpl[i.id];
        if (!v) return '–';
        const faults = v.minorFaults === undefined ? '' : `, ${Math.round(v.minorFaults)} faults`;
        return `${v.rssMb.toFixed(1)} MB, ${Math.round(v.cpuMs)} ms${faults}`;
      }),
    ]),
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function pair(
  label: string,
  impl: string,
  own: number | undefined,
  ref: number | undefined,
  unit = (v: number) => `${ms(v)} ms`,
): string {
  const show = (v: number | undefined) => (v === undefined ? 'not measured' : unit(v));
  return `- ${label}: ${impl} ${show(own)}, reference ${show(ref)}`;
}

function traceLines(e: Explanation, traceRuns: number): string[] {
  if (e.trace === undefined)
    return [
      traceRuns === 0
        ? '- per-step trace: not taken (BENCH_TRACE_RUNS=0)'
        : '- per-step trace: not taken (the command failed or the implementation is not traced)',
    ];
  if (e.trace.steps.length === 0)
    return [
      '- per-step trace: the CNI_LOG_FILE files stayed empty (the plugin wrote no step lines ' +
        'with CNI_LOG_LEVEL=debug)',
    ];
  const how = e.trace.mode === 'since-start' ? 'differences of time since start' : 'as logged';
  const steps = e.trace.steps
    .slice(0, SLOWEST_STEPS)
    .map((s) => `\`${s.step.replace(/`/g, "'")}\` ${ms(s.medianMs)} ms`)
    .join(', ');
  return [`- slowest steps (trace, medians over ${e.trace.calls} calls, ${how}): ${cell(steps)}`];
}

function renderExplanation(a: Analysis, e: Explanation): string {
  const { target } = e.outcome;
  const impl = target.impl === 'ours' ? 'ours' : 'node entry';
  const limit = target.kind === 'ms' ? `${target.limit} ms` : ratio(target.limit);
  const lines = [
    `### ${concurrentLabel(a, e.outcome)}: ${targetValue(e.outcome)} > ${limit}`,
    '',
    pair('start-up (VERSION, median)', impl, e.startup.impl, e.startup.ref),
    pair(`CPU per ${target.config} ${target.op} (user+sys, median)`, impl, e.cpu.impl, e.cpu.ref),
  ];
  // Absent from runs recorded before faults were sampled.
  if (e.faults.impl !== undefined || e.faults.ref !== undefined)
    lines.push(
      pair(
        `minor page faults per ${target.config} ${target.op} (whole call, median)`,
        impl,
        e.faults.impl,
        e.faults.ref,
        (v) => String(Math.round(v)),
      ),
    );
  if (e.nodeFloor !== undefined)
    lines.push(
      `- \`node -e 0\` on this machine: ${ms(e.nodeFloor)} ms (the floor of any Node entry)`,
    );
  if (target.kind === 'concurrency-ratio')
    lines.push(
      '- concurrent wall time on 2 cores follows CPU per call: the calls queue for the CPUs and ' +
        "for host-local's lock",
    );
  lines.push(...traceLines(e, a.run.meta.traceRuns));
  return lines.join('\n');
}

function renderImplementations(a: Analysis): string {
  return table(
    ['implementation', 'started as'],
    [
      ...a.run.implementations.map((i) => [i.label, `\`${i.argv.join(' ')}\``]),
      ...a.run.skipped.map((s) => [s.label, `skipped: ${cell(s.reason)}`]),
    ],
  );
}

function renderHeader(a: Analysis): string {
  const m = a.run.meta;
  const lines = [
    '# cnikit bridge benchmark',
    '',
    `Run ${m.startedAt} (${Math.round(m.durationS)} s) · kernel ${m.kernel} · node ${m.node} · ` +
      `${m.cpus} · reference ${m.referencePackage}`,
    '',
    `${plural(m.runs, 'serial ADD, CHECK, DEL cycle')} per config and implementation, taking turns ` +
      `(A B, then B A, …) in one fresh host namespace per config, cniVersion 1.0.0, host-local IPAM.`,
  ];
  if (m.concurrency > 0)
    lines.push(
      `${plural(m.concurrencyTrials, 'trial')} of ${m.concurrency} concurrent ADDs then ${m.concurrency} ` +
        'concurrent DELs per config and implementation.',
    );
  lines.push('', renderImplementations(a), '');
  const command = (i: ImplementationSpec) => i.argv.join(' ');
  const ref = a.run.implementations.find((i) => i.id === 'ref');
  if (ref && challengers(a).some((i) => command(i) === command(ref)))
    lines.push(
      'Note: a challenger is the reference binary itself, so its ratios show the noise of this ' +
        'machine, not a difference of implementations.',
      '',
    );
  if (a.launchOverhead)
    lines.push(
      `Launch overhead: spawning \`true\` the way each plugin is spawned takes ` +
        `${ms(a.launchOverhead.median)} ms (median, n=${a.launchOverhead.n}); every time below ` +
        'includes it.',
    );
  if (a.nodeStartup)
    lines.push(
      `\`node -e 0\` takes ${ms(a.nodeStartup.median)} ms (median, n=${a.nodeStartup.n}).`,
    );
  return lines.join('\n');
}

function renderFailures(a: Analysis): string {
  if (a.failures.length === 0) return 'None: every call succeeded.';
  const label = (id: ImplId) => a.run.implementations.find((i) => i.id === id)?.label ?? id;
  return table(
    ['config', 'implementation', 'command', 'phase', 'message'],
    a.failures.map((f) => [f.config, label(f.impl), f.op, f.phase, cell(f.message)]),
  );
}

/** The whole report; `chartFile` is the SVG's file name, linked relative to the report. */
export function renderMarkdown(a: Analysis, chartFile: string): string {
  const sections = [
    renderHeader(a),
    '## Targets',
    renderTargets(a),
    `![ratios ours/reference](${chartFile})`,
    '## Serial calls',
    'Milliseconds, median (p90). Ratios are of medians, implementation/reference; below 1 is faster. ' +
      'VERSION is start-up and exit only.',
    renderCallTable(a),
  ];
  if (a.concurrency.length > 0)
    sections.push(
      `## ${a.run.meta.concurrency} concurrent calls`,
      'Wall time from the first launch to the last exit, ms, median (min–max) over the trials.',
      renderConcurrencyTable(a),
    );
  if (a.resources.length > 0)
    sections.push(
      '## Peak RSS, CPU and page faults per call',
      `A separate pass of ${plural(a.run.meta.resourceRuns, 'cycle')} under \`/usr/bin/time\`, so the ` +
        'timings above do not carry it. Medians; RSS is the largest process of the call (the ' +
        'plugin or a child it waited for), CPU is user+sys of the whole call (10 ms resolution), ' +
        'faults are the minor page faults of the whole call.',
      renderResourceTable(a),
    );
  if (a.explanations.length > 0)
    sections.push(
      '## Where the time goes (missed targets)',
      ...a.explanations.map((e) => renderExplanation(a, e)),
    );
  sections.push('## Failed calls', renderFailures(a));
  return sections.join('\n\n') + '\n';
}

/** What the bench prints when it ends: targets and the serial table. */
export function renderConsoleSummary(a: Analysis): string {
  const lines = [renderTargets(a), '', renderCallTable(a)];
  if (a.concurrency.length > 0) lines.push('', renderConcurrencyTable(a));
  if (a.failures.length > 0) lines.push('', `${a.failures.length} call(s) failed: see the report.`);
  return lines.join('\n');
}
