import { describe, expect, it } from 'vitest';
import { BenchError, BenchErrorCode } from '../src/errors.js';
import { median, p90, percentile, summarize } from '../src/stats.js';

describe('median', () => {
  it('takes the middle value of an odd sample, in any order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the two middle values of an even sample', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('leaves the input array in its order', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses an empty sample with a typed error', () => {
    expect(() => median([])).toThrow(BenchError);
    try {
      median([]);
    } catch (err) {
      expect((err as BenchError).code).toBe(BenchErrorCode.EmptySample);
    }
  });
});

describe('p90 (nearest rank)', () => {
  it('is the 9th of 10 sorted values', () => {
    expect(p90([10, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(9);
  });

  it('is the 14th of 15 values (the second largest)', () => {
    const values = Array.from({ length: 15 }, (_, i) => 15 - i);
    expect(p90(values)).toBe(14);
  });

  it('is the value itself for one sample', () => {
    expect(p90([7])).toBe(7);
  });

  it('rejects percentiles outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(percentile([1, 2], 100)).toBe(2);
  });
});

describe('summarize', () => {
  it('gives n, median, p90, min and max', () => {
    expect(summarize([3, 1, 2, 10])).toEqual({ n: 4, median: 2.5, p90: 10, min: 1, max: 10 });
  });

  it('is undefined when nothing was measured', () => {
    expect(summarize([])).toBeUndefined();
  });
});
