/** Order statistics of timing samples. */
import { BenchError, BenchErrorCode } from './errors.js';

/** The summary of one sample, in the sample's unit. */
export interface Summary {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

function sorted(values: readonly number[], what: string): number[] {
  if (values.length === 0) throw new BenchError(BenchErrorCode.EmptySample, `${what} of no values`);
  return [...values].sort((a, b) => a - b);
}

/** The median; the mean of the two middle values when the count is even. */
export function median(values: readonly number[]): number {
  const s = sorted(values, 'median');
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The p-th percentile by nearest rank (always a value that was observed), for 0 < p <= 100.
 * Nearest rank rather than interpolation: with ~15 samples p90 is then the second-largest.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  const s = sorted(values, `p${p}`);
  return s[Math.ceil((p / 100) * s.length) - 1]!;
}

/** The 90th percentile by nearest rank. */
export function p90(values: readonly number[]): number {
  return percentile(values, 90);
}

/** Median, p90, min and max; undefined for an empty sample (nothing was measured). */
export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  return {
    n: values.length,
    median: median(values),
    p90: p90(values),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}
