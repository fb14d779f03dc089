/** The unit of a batch: one command line for `ip -batch -` or `bridge -batch -`. */
import type { NetopsErrorKind } from '../errors.js';
import { assertBatchWord } from '../validate.js';

/** Which iproute2 program reads the batch. */
export type BatchTool = 'ip' | 'bridge';

/** Error-text overrides for one line: tried before the general rules of classification. */
export type KindHints = ReadonlyArray<readonly [RegExp, NetopsErrorKind]>;

/** One batch line. Built only through {@link makeLine}, so every word has been checked. */
export interface BatchLine {
  readonly words: readonly string[];
  /** Failure kinds that count as success for this line. */
  readonly tolerate: readonly NetopsErrorKind[];
  /** The line that undoes this one, recorded in the journal when this line succeeds. */
  readonly undo: BatchLine | undefined;
  readonly hints: KindHints;
  /** Present on read lines: turns the JSON the line printed into a value. */
  readonly parse?: ((json: unknown) => unknown) | undefined;
  /** Present on read lines whose object may be absent: the value then. */
  readonly ifMissing?: (() => unknown) | undefined;
}

/** Options every write operation of a batch accepts. */
export interface OpOptions {
  /** Failure kinds to treat as success, e.g. `['exists']` for a concurrent creator. */
  tolerate?: readonly NetopsErrorKind[];
  /** Record the operation's undo in the journal (default: true when the operation has one). */
  undo?: boolean;
}

/** Builds a line, checking each word for batch safety. */
export function makeLine(
  words: readonly string[],
  parts: Partial<Omit<BatchLine, 'words'>> = {},
): BatchLine {
  for (const w of words) assertBatchWord(w);
  return {
    words: [...words],
    tolerate: parts.tolerate ?? [],
    undo: parts.undo,
    hints: parts.hints ?? [],
    parse: parts.parse,
    ifMissing: parts.ifMissing,
  };
}

/** The text of a line as it is written to the batch. */
export function lineText(line: BatchLine): string {
  return line.words.join(' ');
}

/**
 * What happened to one line:
 * - `ok`: it ran and succeeded;
 * - `tolerated`: it failed with a kind counted as success;
 * - `failed`: it failed (or made iproute2 give up on the batch);
 * - `skipped`: it certainly did not run;
 * - `unknown`: iproute2 exited midway (or timed out) and this line may or may not have run; its
 *   undo is journaled as "maybe applied", tolerating `not-found`.
 */
export type LineStatus = 'ok' | 'tolerated' | 'failed' | 'skipped' | 'unknown';

/** The outcome of one batch line. */
export interface LineOutcome {
  /** 1-based position in the batch. */
  readonly line: number;
  readonly text: string;
  readonly status: LineStatus;
  /** For tolerated and failed lines. */
  readonly kind?: NetopsErrorKind | undefined;
  readonly message?: string | undefined;
}
