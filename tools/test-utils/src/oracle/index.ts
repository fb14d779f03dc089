export { runCniPlugin, DEFAULT_PLUGIN_PATH_ENV } from './run-plugin.js';
export type { RunPluginOptions, PluginRun } from './run-plugin.js';
export { snapshotState } from './snapshot.js';
export type { SnapshotOptions, StateSnapshot } from './snapshot.js';
export { normalizeResult } from './normalize.js';
export type { NormalizedState, LinkFacts } from './normalize.js';
export type { Aliases } from './aliases.js';
export { diffStates, diffJson } from './diff.js';
export { OracleError } from './errors.js';
