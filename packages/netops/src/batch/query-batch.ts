/**
 * {@link queryBatch}: several reads in ONE `ip -details -json -force -batch -` process (or
 * `bridge -json -force -batch -`). `-force` makes every line run even if one fails, so a missing
 * link does not hide the others.
 */
import { invalid } from '../errors.js';
import type { Query } from '../queries.js';
import { applyBatch, type ApplyOptions } from './apply.js';
import type { Batch } from './batch.js';
import { BridgeBatch } from './bridge-batch.js';
import { IpBatch } from './ip-batch.js';

/** The values of a tuple of queries, in order. */
export type QueryResults<Q extends readonly Query<unknown>[]> = {
  -readonly [K in keyof Q]: Q[K] extends Query<infer T> ? T : never;
};

/** Options of {@link queryBatch}. */
export type QueryOptions = Pick<
  ApplyOptions,
  'netns' | 'runner' | 'timeoutMs' | 'program' | 'netlink'
>;

/**
 * Runs the queries (all for the same program) in one process and returns their values in order:
 * `const [br, routes] = await queryBatch([showLink('br0'), listRoutes()], { netns })`.
 * Throws a NetopsError when a read fails in a way it does not tolerate (e.g. the device of
 * `listAddrs` is missing).
 */
export async function queryBatch<const Q extends readonly Query<unknown>[]>(
  queries: Q,
  options: QueryOptions = {},
): Promise<QueryResults<Q>> {
  const first = queries[0];
  if (!first) return [] as unknown as QueryResults<Q>;
  const batch: Batch = first.tool === 'ip' ? new IpBatch() : new BridgeBatch();
  const handles = queries.map((q) => {
    if (q.tool !== first.tool) throw invalid('queryBatch: all queries must use the same program');
    return batch.query(q);
  });
  const result = await applyBatch(batch, { ...options, onError: 'continue' });
  return handles.map((h) => result.read(h)) as QueryResults<Q>;
}

/** Runs one query (one process). */
export async function query<T>(q: Query<T>, options: QueryOptions = {}): Promise<T> {
  const [value] = await queryBatch([q] as const, options);
  return value;
}
