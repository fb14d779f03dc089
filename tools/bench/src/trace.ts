/**
 * Reads the per-step trace our plugin appends to CNI_LOG_FILE (CNI_LOG_LEVEL=debug). The line
 * format belongs to the skel's logger, so parsing is deliberately loose: JSON lines or text lines,
 * a step name and a number of milliseconds; whatever else a line holds is ignored.
 */
import { median } from './stats.js';

/** One traced step of one call. */
export interface TraceStep {
  step: string;
  ms: number;
  /**
   * What the number is, when the line says so: the step's own duration (`stepMs`, `+3ms`) or the
   * time since the call began (`elapsedMs`).
   */
  kind?: 'duration' | 'since-start';
}

/** A step's median over the calls that logged it. */
export interface StepSummary {
  step: string;
  medianMs: number;
  /** How many calls logged the step. */
  n: number;
}

/**
 * How the per-line numbers were read: as each step's own duration, or as time since the call began
 * (every call's numbers never decrease), in which case durations are the differences.
 */
export type TraceMode = 'durations' | 'since-start';

/** What the trace files of a set of calls say. */
export interface TraceSummary {
  mode: TraceMode;
  /** Calls whose file held at least one step. */
  calls: number;
  /** Slowest first. */
  steps: StepSummary[];
}

const STEP_KEYS = ['step', 'msg', 'message', 'event', 'name', 'op'] as const;
/** Fields holding a step's own duration, in order of preference. */
const DURATION_KEYS = ['stepMs', 'step_ms', 'durationMs', 'duration_ms', 'duration', 'ms'] as const;
/** Fields holding the time since the call began. */
const SINCE_START_KEYS = ['elapsedMs', 'elapsed_ms', 'elapsed', 'sinceStartMs'] as const;

// Per-call values (addresses, ids, veth names) would make every line its own step.
function normalizeStep(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\d+/g, '#').slice(0, 80);
}

function fromJson(line: string): TraceStep | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const step = STEP_KEYS.map((k) => record[k]).find((v) => typeof v === 'string');
  const firstNumber = (keys: readonly string[]) =>
    keys
      .map((k) => record[k])
      .find((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (typeof step !== 'string') return undefined;
  const duration = firstNumber(DURATION_KEYS);
  if (duration !== undefined) return { step: normalizeStep(step), ms: duration, kind: 'duration' };
  const sinceStart = firstNumber(SINCE_START_KEYS);
  if (sinceStart !== undefined)
    return { step: normalizeStep(step), ms: sinceStart, kind: 'since-start' };
  return undefined;
}

const ISO_TIME = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?/g;
const LEVEL = /^[\s[(]*(?:trace|debug|info|warn|warning|error)[\s\]):]*/i;
// "12.3ms", "+12.3 ms", "elapsed=12.3"; a "+" marks a step's own duration and wins.
const MS_TOKEN =
  /(\+?)(\d+(?:\.\d+)?)\s*ms\b|\b(?:elapsed|elapsedMs|ms|duration)[=:]\s*(\d+(?:\.\d+)?)/gi;

function fromText(line: string): TraceStep | undefined {
  const tokens = [...line.matchAll(MS_TOKEN)];
  if (tokens.length === 0) return undefined;
  const plus = tokens.find((t) => t[1] === '+');
  const chosen = plus ?? tokens[tokens.length - 1]!;
  const ms = Number(chosen[2] ?? chosen[3]);
  const rest = line.replace(MS_TOKEN, ' ').replace(ISO_TIME, ' ').replace(LEVEL, '');
  const step = normalizeStep(rest.replace(/[\s,;:|()[\]-]+$/, '').replace(/^[\s,;:|-]+/, ''));
  if (step === '') return undefined;
  return plus ? { step, ms, kind: 'duration' } : { step, ms };
}

/** The steps one call logged, in order; lines that carry no step and time are skipped. */
export function parseTraceCall(text: string): TraceStep[] {
  const steps: TraceStep[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const step = line.startsWith('{') ? fromJson(line) : fromText(line);
    if (step) steps.push(step);
  }
  return steps;
}

// Numbers without a stated meaning are times since start when every call's numbers never shrink.
function looksSinceStart(calls: readonly TraceStep[][]): boolean {
  const multi = calls.filter((c) => c.length >= 2);
  if (!multi.some((c) => c.length >= 3)) return false;
  return multi.every((c) => c.every((s, i) => i === 0 || s.ms >= c[i - 1]!.ms));
}

function toDurations(call: readonly TraceStep[]): TraceStep[] {
  return call.map((s, i) => ({ step: s.step, ms: i === 0 ? s.ms : s.ms - call[i - 1]!.ms }));
}

/**
 * How to read the numbers: stated durations win (lines without one, such as a final "done", are
 * left out); then stated or apparent times since start.
 */
function readAs(calls: readonly TraceStep[][]): TraceMode {
  const all = calls.flat();
  if (all.some((s) => s.kind === 'duration')) return 'durations';
  if (all.some((s) => s.kind === 'since-start') || looksSinceStart(calls)) return 'since-start';
  return 'durations';
}

function stepDurations(call: readonly TraceStep[], mode: TraceMode): readonly TraceStep[] {
  if (mode === 'since-start') return toDurations(call);
  const stated = call.filter((s) => s.kind === 'duration');
  return stated.length > 0 ? stated : call;
}

/** Medians per step over calls (one trace file's text per call), slowest first. */
export function summarizeTraces(files: readonly string[]): TraceSummary {
  const parsed = files.map(parseTraceCall).filter((c) => c.length > 0);
  const mode = readAs(parsed);
  const byStep = new Map<string, number[]>();
  for (const call of parsed) {
    // A step logged twice in one call (a retry, say) counts once, with its total time.
    const perCall = new Map<string, number>();
    for (const s of stepDurations(call, mode))
      perCall.set(s.step, (perCall.get(s.step) ?? 0) + s.ms);
    for (const [step, ms] of perCall) byStep.set(step, [...(byStep.get(step) ?? []), ms]);
  }
  const steps = [...byStep].map(([step, values]) => ({
    step,
    medianMs: median(values),
    n: values.length,
  }));
  steps.sort((a, b) => b.medianMs - a.medianMs || a.step.localeCompare(b.step));
  return { mode, calls: parsed.length, steps };
}
