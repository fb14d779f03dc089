/**
 * {@link Journal}: what a sequence of batches did, so a failed ADD can be undone in reverse, best
 * effort, in as few processes as possible (consecutive entries for the same namespace and program
 * are merged into one batch).
 */
import { NetopsError } from '../errors.js';
import type { CommandRunner } from '../runner.js';
import type { Batch } from './batch.js';
import { applyBatch, emptyBatch, type BatchResult } from './apply.js';
import type { BatchTool } from './line.js';

/** One recorded step: the undo of a batch's successful lines, and where to run it. */
export interface JournalEntry {
  readonly tool: BatchTool;
  readonly netns: string | undefined;
  /** The undo lines, newest first. */
  readonly undo: Batch;
}

/** Options of {@link Journal.rollback}. */
export interface RollbackOptions {
  runner?: CommandRunner | undefined;
  timeoutMs?: number | undefined;
}

/**
 * Collects the undo of applied batches. Pass it as `applyBatch(b, { journal })`; on failure call
 * `rollback()`, which never throws and returns the errors it met.
 */
export class Journal {
  private readonly entries: JournalEntry[] = [];

  /** Records the undo of a batch result (nothing when no successful line has an undo). */
  record(result: BatchResult): void {
    const undo = result.undo();
    if (undo.size > 0) this.entries.push({ tool: result.tool, netns: result.netns, undo });
  }

  /** The recorded steps, oldest first. */
  get steps(): readonly JournalEntry[] {
    return this.entries;
  }

  /** True when nothing needs undoing. */
  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /**
   * The undo batches in the order they must run (newest step first), consecutive steps for the
   * same namespace and program merged.
   */
  plan(): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as JournalEntry;
      const last = out.at(-1);
      if (last && last.tool === e.tool && last.netns === e.netns) {
        for (const l of e.undo.lines) last.undo.add(l);
      } else {
        const copy = emptyBatch(e.tool);
        for (const l of e.undo.lines) copy.add(l);
        out.push({ tool: e.tool, netns: e.netns, undo: copy });
      }
    }
    return out;
  }

  /**
   * Runs the undo plan with `-force` (every line is tried; "not found" is fine), then forgets
   * the steps. Never throws; returns the errors met.
   */
  async rollback(options: RollbackOptions = {}): Promise<NetopsError[]> {
    const errors: NetopsError[] = [];
    const plan = this.plan();
    this.entries.length = 0;
    for (const step of plan) {
      try {
        await applyBatch(step.undo, {
          netns: step.netns,
          runner: options.runner,
          timeoutMs: options.timeoutMs,
          onError: 'continue',
          tolerate: ['not-found'],
        });
      } catch (err) {
        errors.push(
          NetopsError.is(err)
            ? err
            : new NetopsError(String(err), { kind: 'failed', stage: 'command', cause: err }),
        );
      }
    }
    return errors;
  }
}
