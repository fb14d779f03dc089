/**
 * The ratio chart: one horizontal bar per challenger and measurement, drawn from 1× on a log2
 * axis, so "twice as slow" and "twice as fast" are the same length. Targets are dashed ticks.
 * Hand-written SVG, no dependency.
 */
import type { Analysis, Challenger, Row } from './analyze.js';
import { ratio } from './format.js';
import { TARGETS, type Target } from './targets.js';

/** One bar. */
export interface ChartBar {
  group: string;
  impl: Challenger;
  value: number;
  /** The limit of the target on this bar, if any, and whether it was met. */
  target?: { limit: number; met: boolean };
}

const COLORS: Record<Challenger, string> = { ours: '#2b6cb0', node: '#805ad5' };
const LABELS: Record<Challenger, string> = { ours: 'ours (bun)', node: 'node entry' };
const WIDTH = 760;
const LEFT = 170;
const RIGHT = 60;
const TOP = 56;
const BAR = 12;
const BAR_GAP = 3;
const GROUP_GAP = 10;

function targetFor(
  config: string,
  op: string,
  impl: Challenger,
  kind: Target['kind'],
  value: number,
): ChartBar['target'] {
  const t = TARGETS.find(
    (x) => x.kind === kind && x.config === config && x.op === op && x.impl === impl,
  );
  return t ? { limit: t.limit, met: value <= t.limit } : undefined;
}

function barsOf<O extends string>(
  rows: readonly Row<O>[],
  group: (r: Row<O>) => string,
  kind: Target['kind'],
): ChartBar[] {
  return rows.flatMap((r) =>
    (['ours', 'node'] as const).flatMap((impl) => {
      const value = r.ratio[impl];
      if (value === undefined) return [];
      const target = targetFor(r.config, r.op, impl, kind, value);
      return [{ group: group(r), impl, value, ...(target ? { target } : {}) }];
    }),
  );
}

/** The bars of an analysis: serial ADD, CHECK and DEL, then the concurrent trials. */
export function chartBars(a: Analysis): ChartBar[] {
  const n = a.run.meta.concurrency;
  return [
    ...barsOf(
      a.calls.filter((r) => r.op !== 'VERSION'),
      (r) => `${r.config} ${r.op}`,
      'ratio',
    ),
    ...barsOf(a.concurrency, (r) => `${r.config} ${n}× ${r.op}`, 'concurrency-ratio'),
  ];
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function n1(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

function powerLabel(k: number): string {
  return `${2 ** k}×`;
}

/** Renders bars as a standalone SVG document. */
export function renderChart(bars: readonly ChartBar[], title: string): string {
  const logs = bars.flatMap((b) => [
    Math.log2(b.value),
    ...(b.target ? [Math.log2(b.target.limit)] : []),
  ]);
  const lo = Math.max(-6, Math.min(-1, ...logs.map(Math.floor)));
  const hi = Math.min(8, Math.max(1, ...logs.map(Math.ceil)));
  const plot = WIDTH - LEFT - RIGHT;
  const x = (v: number) =>
    LEFT + ((Math.min(hi, Math.max(lo, Math.log2(v))) - lo) / (hi - lo)) * plot;
  const groups = [...new Set(bars.map((b) => b.group))];
  const groupHeight = (g: string) =>
    bars.filter((b) => b.group === g).length * (BAR + BAR_GAP) - BAR_GAP;
  const plotHeight = groups.reduce((h, g) => h + groupHeight(g) + GROUP_GAP, 0);
  const height = TOP + plotHeight + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${n1(height)}" ` +
      `viewBox="0 0 ${WIDTH} ${n1(height)}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let k = lo; k <= hi; k++) {
    const gx = n1(x(2 ** k));
    const stroke = k === 0 ? '#333333' : '#dddddd';
    out.push(
      `<line x1="${gx}" y1="${TOP - 8}" x2="${gx}" y2="${n1(TOP + plotHeight)}" stroke="${stroke}"/>`,
      `<text x="${gx}" y="${TOP - 12}" text-anchor="middle" fill="#555555">${powerLabel(k)}</text>`,
    );
  }
  let y = TOP;
  for (const g of groups) {
    const members = bars.filter((b) => b.group === g);
    out.push(
      `<text x="${LEFT - 8}" y="${n1(y + groupHeight(g) / 2 + 4)}" text-anchor="end">${escapeXml(g)}</text>`,
    );
    for (const b of members) {
      const x0 = x(1);
      const x1 = x(b.value);
      const left = Math.min(x0, x1);
      const width = Math.max(1, Math.abs(x1 - x0));
      const fill = COLORS[b.impl];
      out.push(
        `<rect x="${n1(left)}" y="${n1(y)}" width="${n1(width)}" height="${BAR}" fill="${fill}">` +
          `<title>${escapeXml(`${g}, ${LABELS[b.impl]}: ${ratio(b.value)}`)}</title></rect>`,
      );
      let label = ratio(b.value);
      let color = '#222222';
      // Labels start right of everything drawn on the row, so they never cover a bar or a tick.
      let textX = Math.max(x0, x1);
      if (b.target) {
        const tx = x(b.target.limit);
        out.push(
          `<line x1="${n1(tx)}" y1="${n1(y - 2)}" x2="${n1(tx)}" y2="${n1(y + BAR + 2)}" stroke="#000000" ` +
            `stroke-width="2" stroke-dasharray="3,2"/>`,
        );
        textX = Math.max(textX, tx);
        label += ` (target ≤ ${ratio(b.target.limit)}: ${b.target.met ? 'met' : 'missed'})`;
        color = b.target.met ? '#276749' : '#c53030';
      }
      out.push(
        `<text x="${n1(textX + 4)}" y="${n1(y + BAR - 2)}" fill="${color}">${escapeXml(label)}</text>`,
      );
      y += BAR + BAR_GAP;
    }
    y += GROUP_GAP - BAR_GAP;
  }
  const legendY = n1(TOP + plotHeight + 24);
  let lx = LEFT;
  for (const impl of ['ours', 'node'] as const) {
    if (!bars.some((b) => b.impl === impl)) continue;
    out.push(
      `<rect x="${lx}" y="${n1(TOP + plotHeight + 14)}" width="12" height="12" fill="${COLORS[impl]}"/>`,
      `<text x="${lx + 16}" y="${legendY}">${LABELS[impl]}/reference</text>`,
    );
    lx += 150;
  }
  out.push(
    `<text x="${lx}" y="${legendY}" fill="#555555">medians; left of 1× is faster; dashed: target</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}

/** The chart of an analysis. */
export function renderRatioChart(a: Analysis): string {
  return renderChart(chartBars(a), 'cnikit bridge: time ratio to the reference (log scale)');
}
