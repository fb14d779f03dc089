/** What IpBatch and BridgeBatch share: an ordered list of checked lines and read handles. */
import { invalid } from '../errors.js';
import type { Query } from '../queries.js';
import { lineText, makeLine, type BatchLine, type BatchTool } from './line.js';

/** Refers to the value a read line of a batch produces; pass it to `BatchResult.read`. */
export interface QueryHandle<T> {
  /** 0-based index of the line in its batch. */
  readonly index: number;
  /** Phantom field carrying the value's type; never set. */
  readonly __value?: T;
}

/** An ordered list of lines for one iproute2 program. Build it, then give it to `applyBatch`. */
export abstract class Batch {
  abstract readonly tool: BatchTool;
  protected readonly entries: BatchLine[] = [];

  /** The lines, in order. */
  get lines(): readonly BatchLine[] {
    return this.entries;
  }

  /** Number of lines. */
  get size(): number {
    return this.entries.length;
  }

  /** True when the batch holds at least one read line (it then runs with `-json -details`). */
  get hasReads(): boolean {
    return this.entries.some((l) => l.parse !== undefined);
  }

  /** The exact text written to the program's stdin: one line per operation, newline-terminated. */
  text(): string {
    return this.entries.map((l) => `${lineText(l)}\n`).join('');
  }

  /** Appends a read; its value is available from the result with `result.read(handle)`. */
  query<T>(q: Query<T>): QueryHandle<T> {
    if (q.tool !== this.tool)
      throw invalid(`a ${q.tool} query cannot go into a ${this.tool} batch`);
    this.entries.push(
      makeLine(q.words, {
        parse: q.parse,
        ifMissing: q.ifMissing,
        tolerate: q.ifMissing ? ['not-found'] : [],
      }),
    );
    return { index: this.entries.length - 1 };
  }

  /** Appends a line (its words are checked again: lines are plain objects anyone can build). */
  add(line: BatchLine): this {
    this.entries.push(makeLine(line.words, line));
    return this;
  }
}
