/**
 * Runs one differential config through a bridge binary in a fresh sandbox and records what a
 * runtime and an administrator could observe; compares two such records against the allow-list.
 */
import {
  diffJson,
  mustExecIn,
  normalizeResult,
  snapshotState,
  type NormalizedState,
  type PluginRun,
} from '@cnikit-tools/test-utils';
import { NETWORK, Testbed } from '../../e2e/support/testbed.js';
import { supportsCheck } from '../../e2e/support/versions.js';
import type { DiffConfig } from '../configs.js';
import type { KnownDifference } from '../known-differences.js';

/** How one call ended, stdout normalized with the snapshot's aliases. */
export interface Outcome {
  exitCode: number;
  /** stdout: the JSON (normalized) when it parses, else the trimmed text. */
  output: unknown;
}

/** Everything recorded for one binary. */
export interface SideRecord {
  add0: Outcome;
  add1: Outcome;
  check: Outcome | 'not run';
  del0: Outcome;
  del1: Outcome;
  delAgain: Outcome;
  afterAdd: NormalizedState;
  afterDel: NormalizedState;
}

const DEFAULT_BRIDGE = 'cni0';

/** The network config of a differential run. */
export function networkConfig(bed: Testbed, config: DiffConfig): Record<string, unknown> {
  return {
    cniVersion: config.version,
    name: NETWORK,
    type: 'bridge',
    ...config.fields,
    ...(config.subnets ? { ipam: bed.ipam(config.subnets) } : {}),
  };
}

/** ADD two containers, snapshot, CHECK, DEL both and DEL again, snapshot; in a fresh sandbox. */
export async function runSide(binary: string, config: DiffConfig): Promise<SideRecord> {
  const bed = await Testbed.open(config.version);
  try {
    const c0 = await bed.container();
    const c1 = await bed.container();
    if (config.preexistingBridgeAddress !== undefined) {
      const bridge =
        typeof config.fields.bridge === 'string' ? config.fields.bridge : DEFAULT_BRIDGE;
      await mustExecIn(bed.host, ['ip', 'link', 'add', bridge, 'type', 'bridge']);
      await mustExecIn(bed.host, [
        'ip',
        'addr',
        'add',
        config.preexistingBridgeAddress,
        'dev',
        bridge,
      ]);
    }
    const conf = networkConfig(bed, config);
    const add0 = await bed.add(c0, conf, { binary });
    const add1 = await bed.add(c1, conf, { binary });
    const snapshot = { host: bed.host, containers: [c0, c1], dataDir: bed.dataDir };
    const afterAdd = await snapshotState(snapshot);
    const outcome = (run: PluginRun): Outcome => ({
      exitCode: run.exitCode,
      output:
        run.json === undefined ? run.stdout.trim() : normalizeResult(run.json, afterAdd.aliases),
    });
    // A runtime sends the cached result as prevResult from 0.4.0 on.
    const withPrev = (add: PluginRun): Record<string, unknown> =>
      supportsCheck(config.version) && add.exitCode === 0
        ? { ...conf, prevResult: add.json }
        : conf;
    const check =
      supportsCheck(config.version) && add0.exitCode === 0
        ? outcome(await bed.check(c0, conf, add0.json, { binary }))
        : 'not run';
    const del0 = outcome(await bed.del(c0, withPrev(add0), { binary }));
    const del1 = outcome(await bed.del(c1, withPrev(add1), { binary }));
    const delAgain = outcome(await bed.del(c0, withPrev(add0), { binary }));
    const afterDel = await snapshotState(snapshot);
    return {
      add0: outcome(add0),
      add1: outcome(add1),
      check,
      del0,
      del1,
      delAgain,
      afterAdd: afterAdd.state,
      afterDel: afterDel.state,
    };
  } finally {
    await bed.cleanup();
  }
}

/** The differences between two records, split into unexpected ones and allow-listed ones. */
export function compareSides(
  config: string,
  a: SideRecord,
  b: SideRecord,
  known: readonly KnownDifference[],
): { unexpected: string[]; allowed: string[]; usedEntries: Set<KnownDifference> } {
  const unexpected: string[] = [];
  const allowed: string[] = [];
  const usedEntries = new Set<KnownDifference>();
  for (const line of diffJson(a, b)) {
    const entry = known.find(
      (k) => (k.config === '*' || k.config === config) && pathMatches(line, k.path),
    );
    if (entry) {
      allowed.push(`${line}  [known: ${entry.reason}]`);
      usedEntries.add(entry);
    } else unexpected.push(line);
  }
  return { unexpected, allowed, usedEntries };
}

/** True when the difference's path is `prefix` or continues it with `.` or `[`. */
export function pathMatches(line: string, prefix: string): boolean {
  const end = line.indexOf(': ');
  const path = end < 0 ? line : line.slice(0, end);
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}
