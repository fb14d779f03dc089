/**
 * netops batches whose lines carry the reference's error wording. A batch runs as one process
 * with `-force` (every line is tried, so a tolerated "exists" costs no second process); the first
 * line that failed for real is reported in the reference's words, the kernel's reason appended,
 * and every line that succeeded is journaled for the rollback.
 */
import {
  applyBatch,
  isNetopsError,
  type ApplyOptions,
  type Batch,
  type BatchResult,
} from '@cnikit/netops';
import { BridgeError } from '../errors.js';
import { kernelReason } from './kernel-reason.js';

/** Turns the kernel's reason into the message the reference prints for a line. */
export type Wording = (reason: string) => string;

/** A batch plus the wording of its lines (1-based line number to wording). */
export class WordedBatch<B extends Batch> {
  private readonly wording = new Map<number, Wording>();

  constructor(readonly batch: B) {}

  /** Adds lines through `add`; each line it adds is worded by `wording` when it fails. */
  with(wording: Wording | undefined, add: (batch: B) => unknown): this {
    const before = this.batch.size;
    add(this.batch);
    if (wording) for (let n = before + 1; n <= this.batch.size; n++) this.wording.set(n, wording);
    return this;
  }

  /** The wording of line `n` (1-based), if any. */
  wordingOf(n: number): Wording | undefined {
    return this.wording.get(n);
  }

  /** The exact batch text (for tests and logs). */
  text(): string {
    return this.batch.text();
  }
}

/**
 * Applies the batch (default `-force`) and returns netops' result.
 * @throws BridgeError worded for the failed line (the NetopsError as cause), or for a batch that
 * could not run at all.
 */
export async function applyWorded(
  worded: WordedBatch<Batch>,
  options: ApplyOptions,
): Promise<BatchResult> {
  try {
    return await applyBatch(worded.batch, { onError: 'continue', ...options });
  } catch (err) {
    // netops names the line to blame whenever one can be (also when ip gave up midway).
    if (isNetopsError(err) && err.line !== undefined) {
      const reason = kernelReason(err.outcomes?.[err.line - 1]?.message ?? err.message);
      const wording = worded.wordingOf(err.line);
      throw new BridgeError(wording ? wording(reason) : reason, { cause: err });
    }
    throw new BridgeError((err as Error).message, { cause: err });
  }
}
