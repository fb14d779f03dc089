/** The bench's knobs, read from the environment and validated before anything runs. */
import { isAbsolute, resolve } from 'node:path';
import { BenchError, BenchErrorCode } from './errors.js';
import { CONFIG_NAMES, type ConfigName } from './model.js';

/** Validated settings of one run. Paths are absolute. */
export interface BenchSettings {
  /** Serial ADD/CHECK/DEL cycles per config and implementation (BENCH_RUNS). */
  runs: number;
  /** Calls started at once in a concurrency trial; 0 skips the trials (BENCH_CONCURRENCY). */
  concurrency: number;
  /** Concurrency trials per config and implementation (BENCH_CONCURRENCY_TRIALS). */
  concurrencyTrials: number;
  /** Cycles of the peak-RSS sampling pass; 0 skips it (BENCH_RSS_RUNS). */
  resourceRuns: number;
  /** Cycles of the trace pass of our plugin; 0 skips it (BENCH_TRACE_RUNS). */
  traceRuns: number;
  /** Configs to run, in order (BENCH_CONFIGS, comma-separated). */
  configs: ConfigName[];
  /** Where the report is written (BENCH_REPORT_DIR). */
  reportDir: string;
  /** Debian's Go plugin (CNIKIT_REFERENCE_BIN). */
  referenceBin: string;
  /** Our bun executable (CNIKIT_BRIDGE_BIN). */
  oursBin: string;
  /** Our Node entry (CNIKIT_BRIDGE_NODE_ENTRY); undefined when unset or empty. */
  nodeEntry: string | undefined;
  /** Directory with host-local, passed as CNI_PATH. */
  cniPath: string;
}

/** Defaults, relative to the repository root where they are paths. */
export const DEFAULTS = {
  runs: 15,
  concurrency: 20,
  concurrencyTrials: 3,
  resourceRuns: 3,
  traceRuns: 5,
  reportDir: 'reports',
  referenceBin: '/usr/lib/cni/bridge',
  oursBin: 'packages/bridge-plugin/dist/bridge',
  cniPath: '/usr/lib/cni',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function count(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new BenchError(
      BenchErrorCode.BadSetting,
      `${name}=${raw}: expected a whole number from ${min} to ${max}`,
    );
  return value;
}

function configList(raw: string | undefined): ConfigName[] {
  if (raw === undefined || raw.trim() === '') return [...CONFIG_NAMES];
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names)
    if (!(CONFIG_NAMES as readonly string[]).includes(name))
      throw new BenchError(
        BenchErrorCode.BadSetting,
        `BENCH_CONFIGS: unknown config "${name}" (known: ${CONFIG_NAMES.join(', ')})`,
      );
  return [...new Set(names as ConfigName[])];
}

// Paths reach argv of spawned processes: refuse anything that is not a plain path.
function path(env: Env, name: string, fallback: string, root: string): string {
  const raw = env[name] === undefined || env[name] === '' ? fallback : env[name];
  if (/[\0\n]/.test(raw))
    throw new BenchError(BenchErrorCode.BadSetting, `${name} holds a control character`);
  return isAbsolute(raw) ? raw : resolve(root, raw);
}

/** Reads and validates the settings; `root` is the repository root that relative paths start from. */
export function readSettings(env: Env, root: string): BenchSettings {
  const nodeEntry = env.CNIKIT_BRIDGE_NODE_ENTRY;
  return {
    runs: count(env, 'BENCH_RUNS', DEFAULTS.runs, 1, 1000),
    concurrency: count(env, 'BENCH_CONCURRENCY', DEFAULTS.concurrency, 0, 200),
    concurrencyTrials: count(env, 'BENCH_CONCURRENCY_TRIALS', DEFAULTS.concurrencyTrials, 1, 100),
    resourceRuns: count(env, 'BENCH_RSS_RUNS', DEFAULTS.resourceRuns, 0, 100),
    traceRuns: count(env, 'BENCH_TRACE_RUNS', DEFAULTS.traceRuns, 0, 100),
    configs: configList(env.BENCH_CONFIGS),
    reportDir: path(env, 'BENCH_REPORT_DIR', DEFAULTS.reportDir, root),
    referenceBin: path(env, 'CNIKIT_REFERENCE_BIN', DEFAULTS.referenceBin, root),
    oursBin: path(env, 'CNIKIT_BRIDGE_BIN', DEFAULTS.oursBin, root),
    nodeEntry:
      nodeEntry === undefined || nodeEntry === ''
        ? undefined
        : path(env, 'CNIKIT_BRIDGE_NODE_ENTRY', '', root),
    cniPath: DEFAULTS.cniPath,
  };
}
