/**
 * The ADD journal: what was applied, undone in reverse on failure, best effort. Batch undos are
 * netops journal segments (consecutive ones for the same namespace are merged into one batch, so
 * one process); IPAM DEL and rule teardowns are tasks. The error that caused the rollback stays the
 * one reported.
 */
import { Journal as BatchJournal, type CommandRunner } from '@cnikit/netops';

type Entry =
  | { readonly kind: 'batches'; readonly journal: BatchJournal }
  | { readonly kind: 'task'; readonly what: string; readonly run: () => Promise<void> };

/** Records applied operations and undoes them. */
export class Journal {
  private readonly entries: Entry[] = [];

  /** The netops journal to pass to `applyBatch` (the current segment of batch undos). */
  batches(): BatchJournal {
    const last = this.entries.at(-1);
    if (last?.kind === 'batches') return last.journal;
    const journal = new BatchJournal();
    this.entries.push({ kind: 'batches', journal });
    return journal;
  }

  /** Records a task that undoes what just succeeded (or is about to be set up). */
  task(what: string, run: () => Promise<void>): void {
    this.entries.push({ kind: 'task', what, run });
  }

  /** Number of recorded entries with something to undo. */
  get size(): number {
    return this.entries.filter((e) => e.kind === 'task' || !e.journal.isEmpty).length;
  }

  /** Undoes everything in reverse order. Never throws: returns the problems met. */
  async rollback(runner: CommandRunner): Promise<Error[]> {
    const problems: Error[] = [];
    for (const entry of this.entries.splice(0).reverse()) {
      if (entry.kind === 'batches') {
        problems.push(...(await entry.journal.rollback({ runner })));
        continue;
      }
      try {
        await entry.run();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        problems.push(new Error(`${entry.what}: ${message}`, { cause: err }));
      }
    }
    return problems;
  }
}
