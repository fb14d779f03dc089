/**
 * The data a bench run produces: what the driver measured in each config's host namespace, and
 * the facts about the machine and the programs. Saved as JSON beside the report.
 */

/** The network configurations every implementation runs (all cniVersion 1.0.0). */
export const CONFIG_NAMES = ['basic', 'ipMasq', 'dual-stack'] as const;
/** One of {@link CONFIG_NAMES}. */
export type ConfigName = (typeof CONFIG_NAMES)[number];

/** The implementations compared: Debian's Go plugin, our bun executable, our Node entry. */
export const IMPL_IDS = ['ref', 'ours', 'node'] as const;
/** One of {@link IMPL_IDS}. */
export type ImplId = (typeof IMPL_IDS)[number];

/** The CNI commands timed per call. VERSION is process start-up plus the skel, nothing else. */
export const OPS = ['VERSION', 'ADD', 'CHECK', 'DEL'] as const;
/** One of {@link OPS}. */
export type Op = (typeof OPS)[number];

/** How one implementation is started. */
export interface ImplementationSpec {
  id: ImplId;
  /** A short human name for tables ("reference", "ours (bun)", "node entry"). */
  label: string;
  /** The argv that starts it; stdin and the CNI_* environment are added per call. */
  argv: string[];
  /** Whether it honours CNI_LOG_FILE / CNI_LOG_LEVEL (the reference does not). */
  traced: boolean;
}

/** An implementation left out of the run, and why. */
export interface SkippedImplementation {
  id: ImplId;
  label: string;
  reason: string;
}

/** Peak RSS and CPU of one call, from `/usr/bin/time` (the call's whole process tree). */
export interface ResourceSample {
  rssKb: number;
  /** user + sys, resolution 10 ms. */
  cpuMs: number;
  /**
   * Minor page faults (absent from runs recorded before it was sampled). Each costs several
   * microseconds on a VM, and their number follows the size of what a process maps and touches.
   */
  minorFaults?: number;
}

/** A call that did not succeed. */
export interface CallFailure {
  impl: ImplId;
  op: Op | 'concurrent ADD' | 'concurrent DEL';
  phase: string;
  message: string;
}

/** Wall times of concurrent trials, in ms. */
export interface ConcurrencyTimes {
  add: number[];
  del: number[];
}

/** Everything measured for one config in its own host namespace. */
export interface ConfigRun {
  config: ConfigName;
  /** Spawning `/bin/true` exactly as a plugin is spawned: the overhead inside every call time. */
  launchOverheadMs: number[];
  /** `node -e 0`, the floor under the Node entry; empty when the Node entry is not measured. */
  nodeStartupMs: number[];
  /** Per implementation and command: the time of each serial call, ms. */
  calls: Partial<Record<ImplId, Partial<Record<Op, number[]>>>>;
  concurrency: Partial<Record<ImplId, ConcurrencyTimes>>;
  resources: Partial<Record<ImplId, Partial<Record<Op, ResourceSample[]>>>>;
  /** Per traced implementation and command: the trace file of each call (may be empty). */
  traces: Partial<Record<ImplId, Partial<Record<Op, string[]>>>>;
  failures: CallFailure[];
}

/** The machine and the sizes the run used. */
export interface RunMeta {
  startedAt: string;
  durationS: number;
  kernel: string;
  node: string;
  cpus: string;
  referencePackage: string;
  runs: number;
  concurrency: number;
  concurrencyTrials: number;
  resourceRuns: number;
  traceRuns: number;
}

/** A whole bench run. */
export interface BenchRun {
  meta: RunMeta;
  implementations: ImplementationSpec[];
  skipped: SkippedImplementation[];
  configs: ConfigRun[];
}
