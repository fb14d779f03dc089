export { BenchError, BenchErrorCode } from './errors.js';
export { median, p90, percentile, summarize, type Summary } from './stats.js';
export {
  CONFIG_NAMES,
  IMPL_IDS,
  OPS,
  type BenchRun,
  type CallFailure,
  type ConcurrencyTimes,
  type ConfigName,
  type ConfigRun,
  type ImplId,
  type ImplementationSpec,
  type Op,
  type ResourceSample,
  type RunMeta,
  type SkippedImplementation,
} from './model.js';
export { BENCH_CNI_VERSION, bridgeNetConf, withPrevResult, type BridgeNetConf } from './netconf.js';
export { DEFAULTS, readSettings, type BenchSettings } from './settings.js';
export {
  IMPL_LABELS,
  fsProbe,
  resolveImplementations,
  type ProgramProbe,
} from './implementations.js';
export {
  TARGETS,
  evaluateTargets,
  targetValue,
  type Target,
  type TargetInputs,
  type TargetOutcome,
} from './targets.js';
export {
  parseTraceCall,
  summarizeTraces,
  type StepSummary,
  type TraceMode,
  type TraceStep,
  type TraceSummary,
} from './trace.js';
export {
  analyze,
  type Analysis,
  type Challenger,
  type Explanation,
  type ResourceRow,
  type Row,
} from './analyze.js';
export {
  renderCallTable,
  renderConsoleSummary,
  renderMarkdown,
  renderTargets,
} from './markdown.js';
export { chartBars, renderChart, renderRatioChart, type ChartBar } from './svg.js';
export { parseTimeOutput } from './driver/driver.js';
export { main, type ReportFiles } from './orchestrate.js';
