import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { chartBars, renderChart, renderRatioChart } from '../src/svg.js';
import { sampleRun } from './fixtures/sample-run.js';
import { golden } from './golden.js';

describe('chartBars', () => {
  it('has a bar per challenger and measurement, with the target where one applies', () => {
    const bars = chartBars(analyze(sampleRun));
    const basicDel = bars.find((b) => b.group === 'basic DEL' && b.impl === 'ours');
    expect(basicDel?.target).toEqual({ limit: 1.2, met: false });
    const concurrent = bars.find((b) => b.group === 'basic 20× ADD' && b.impl === 'ours');
    expect(concurrent?.target).toEqual({ limit: 1.5, met: false });
    expect(
      bars.find((b) => b.group === 'basic CHECK' && b.impl === 'ours')?.target,
    ).toBeUndefined();
    expect(bars.some((b) => b.group.includes('VERSION'))).toBe(false);
  });
});

describe('renderChart', () => {
  it('renders the chart of a fixed run as the golden file', () => {
    const svg = renderRatioChart(analyze(sampleRun));
    expect(svg).toBe(golden('chart.golden.svg', svg));
  });

  it('escapes text and still draws an empty chart', () => {
    const svg = renderChart([], 'a < b & "c"');
    expect(svg).toContain('<title>a &lt; b &amp; &quot;c&quot;</title>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
