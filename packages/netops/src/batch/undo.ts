/**
 * The undo of an applied batch: the undo lines of the lines that ran, newest first. A line whose
 * fate is `unknown` (iproute2 exited somewhere near it) counts as maybe applied: its undo is
 * included, tolerating `not-found` for when the line never ran, unless the line tolerated
 * `exists`. Such a line expected its object to be there possibly already (a shared bridge's
 * address); if it did not run, undoing it would remove what this batch never made.
 */
import type { NetopsErrorKind } from '../errors.js';
import type { Batch } from './batch.js';
import { makeLine, type BatchLine, type LineOutcome } from './line.js';

/** The undo of one line given its outcome, or undefined when it has none or must not be undone. */
export function undoLineFor(
  line: BatchLine,
  outcome: LineOutcome | undefined,
  tolerateAll: readonly NetopsErrorKind[],
): BatchLine | undefined {
  const undo = line.undo;
  if (undo === undefined || outcome === undefined) return undefined;
  if (outcome.status === 'ok') return undo;
  if (outcome.status !== 'unknown') return undefined;
  if (line.tolerate.includes('exists') || tolerateAll.includes('exists')) return undefined;
  if (undo.tolerate.includes('not-found')) return undo;
  return makeLine(undo.words, { ...undo, tolerate: [...undo.tolerate, 'not-found'] });
}

/** Adds to `into` the undo of every line that ran or may have, newest first; returns `into`. */
export function addUndoLines(
  into: Batch,
  lines: readonly BatchLine[],
  outcomes: readonly LineOutcome[],
  tolerateAll: readonly NetopsErrorKind[],
): Batch {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    const undo = line && undoLineFor(line, outcomes[i], tolerateAll);
    if (undo) into.add(undo);
  }
  return into;
}
