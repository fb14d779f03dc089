import { describe, expect, it } from 'vitest';
import { parseTraceCall, summarizeTraces } from '../src/trace.js';

describe('parseTraceCall', () => {
  it('reads JSON lines with a step and a duration or a time since start', () => {
    const text =
      '{"level":"debug","step":"ipam add","durationMs":4.5}\n{"msg":"veth","elapsedMs":2}\n';
    expect(parseTraceCall(text)).toEqual([
      { step: 'ipam add', ms: 4.5, kind: 'duration' },
      { step: 'veth', ms: 2, kind: 'since-start' },
    ]);
  });

  it('reads text lines, dropping timestamps and levels, and numbers in step names', () => {
    const text = [
      '2026-11-27T12:00:00.123Z debug bridge: create veth1a2b3c 3.25ms',
      '[debug] ipam add 10.22.0.5 took 4 ms',
      'no timing on this line',
      '',
    ].join('\n');
    expect(parseTraceCall(text)).toEqual([
      { step: 'bridge: create veth#a#b#c', ms: 3.25 },
      { step: 'ipam add #.#.#.# took', ms: 4 },
    ]);
  });

  it('prefers a "+" duration over a time since start on the same line', () => {
    expect(parseTraceCall('debug apply host batch +5.5ms (at 12.0ms)')).toEqual([
      { step: 'apply host batch (at', ms: 5.5, kind: 'duration' },
    ]);
  });
});

describe('summarizeTraces', () => {
  it('gives medians per step over calls, slowest first', () => {
    const s = summarizeTraces(['a 1ms\nb 10ms\n', 'a 3ms\nb 2ms\n', 'a 2ms\nb 4ms\n']);
    expect(s.mode).toBe('durations');
    expect(s.calls).toBe(3);
    expect(s.steps).toEqual([
      { step: 'b', medianMs: 4, n: 3 },
      { step: 'a', medianMs: 2, n: 3 },
    ]);
  });

  it('turns never-decreasing times since start into step durations', () => {
    const s = summarizeTraces([
      'start 1ms\nipam 6ms\nbatch 8ms\n',
      'start 2ms\nipam 9ms\nbatch 10ms\n',
    ]);
    expect(s.mode).toBe('since-start');
    expect(s.steps).toEqual([
      { step: 'ipam', medianMs: 6, n: 2 },
      { step: 'batch', medianMs: 1.5, n: 2 },
      { step: 'start', medianMs: 1.5, n: 2 },
    ]);
  });

  it("uses the skel logger's stated step durations and leaves out lines without one", () => {
    const call = (host: number, container: number) =>
      [
        `{"time":"2026-11-27T20:27:31.662Z","level":"info","elapsedMs":${host + 60},"plugin":"bridge","command":"ADD","containerId":"cnkbench-ours-t0","msg":"host setup and IPAM ADD","stepMs":${host}}`,
        `{"time":"2026-11-27T20:27:31.751Z","level":"info","elapsedMs":${host + container + 60},"msg":"container setup","stepMs":${container}}`,
        `{"time":"2026-11-27T20:27:31.762Z","level":"info","elapsedMs":${host + container + 61},"msg":"done","exitCode":0}`,
      ].join('\n');
    const s = summarizeTraces([call(10, 4), call(12, 6)]);
    expect(s.mode).toBe('durations');
    expect(s.steps).toEqual([
      { step: 'host setup and IPAM ADD', medianMs: 11, n: 2 },
      { step: 'container setup', medianMs: 5, n: 2 },
    ]);
  });

  it('turns stated times since start into step durations', () => {
    const s = summarizeTraces(['{"msg":"a","elapsedMs":3}\n{"msg":"b","elapsedMs":10}\n']);
    expect(s.mode).toBe('since-start');
    expect(s.steps.map((x) => [x.step, x.medianMs])).toEqual([
      ['b', 7],
      ['a', 3],
    ]);
  });

  it('adds up a step logged twice in one call', () => {
    const s = summarizeTraces(['retry 5ms\nretry 7ms\nother 1ms\n']);
    expect(s.steps[0]).toEqual({ step: 'retry', medianMs: 12, n: 1 });
  });

  it('reports no steps when every file is empty', () => {
    expect(summarizeTraces(['', '\n'])).toEqual({ mode: 'durations', calls: 0, steps: [] });
  });
});
