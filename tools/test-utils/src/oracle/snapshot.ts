/**
 * snapshotState: waits until the kernel has settled (operstates caught up, DAD done, two readings
 * in a row equal), then records links, addresses, routes, sysctls, firewall and the host-local
 * store of a host namespace and its containers, normalized so two runs can be diffed.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Netns } from '../netns.js';
import { buildAliases, type Aliases, type LabelledReading } from './aliases.js';
import { OracleError } from './errors.js';
import { readIp, unsettledReasons } from './ip-reading.js';
import { readNamespaceExtras } from './namespace-extras.js';
import { normalizeState, type NamespaceExtras, type NormalizedState } from './normalize.js';
import { readStore } from './store.js';

/** What to snapshot. */
export interface SnapshotOptions {
  /** Where the bridge lives; labelled `host`. */
  host: Netns;
  /** Container namespaces, labelled `c0`, `c1`... in this order (the order names the veths). */
  containers?: readonly Netns[];
  /** host-local's dataDir, recorded under `store`. */
  dataDir?: string;
  /** MACs to recognise by name, e.g. `{ requested: 'c2:b0:57:49:47:f1' }`. */
  macLabels?: Record<string, string>;
  /** Give up waiting for the kernel to settle after this long (default 15 s). */
  settleTimeoutMs?: number;
}

/** A snapshot: the diffable state plus the aliases used to make it. */
export interface StateSnapshot {
  state: NormalizedState;
  /** Raw → stable names, for normalizing results taken at the same time (normalizeResult). */
  aliases: Aliases;
}

const POLL_MS = 50;

/** Takes a settled, normalized snapshot. Throws an OracleError when the state never settles. */
export async function snapshotState(options: SnapshotOptions): Promise<StateSnapshot> {
  const namespaces = [
    { label: 'host', ns: options.host },
    ...(options.containers ?? []).map((ns, i) => ({ label: `c${i}`, ns })),
  ];
  const deadline = Date.now() + (options.settleTimeoutMs ?? 15_000);
  let reasons: string[] = [];
  for (;;) {
    const first = await readAll(namespaces);
    reasons = first.flatMap((r) => unsettledReasons(r.label, r.reading));
    if (reasons.length === 0) {
      const extras = new Map<string, NamespaceExtras>();
      await Promise.all(
        namespaces.map(async ({ label, ns }) => {
          extras.set(label, await readNamespaceExtras(ns));
        }),
      );
      const store = options.dataDir === undefined ? {} : readStore(options.dataDir);
      // A second reading after the slower reads: equal means nothing moved in between.
      const second = await readAll(namespaces);
      const build = (readings: LabelledReading[]): StateSnapshot => {
        const aliases = buildAliases(readings, options.macLabels);
        return { state: normalizeState(readings, extras, store, aliases), aliases };
      };
      const a = build(first);
      const b = build(second);
      if (JSON.stringify(a.state) === JSON.stringify(b.state)) return b;
      reasons = ['the state changed between two readings'];
    }
    if (Date.now() > deadline)
      throw new OracleError(`state did not settle: ${reasons.slice(0, 5).join('; ')}`);
    await delay(POLL_MS);
  }
}

async function readAll(
  namespaces: readonly { label: string; ns: Netns }[],
): Promise<LabelledReading[]> {
  return Promise.all(
    namespaces.map(async ({ label, ns }) => ({ label, ns, reading: await readIp(ns) })),
  );
}
