export {
  isRoot,
  NOT_ROOT_REASON,
  createNetns,
  deleteNetns,
  execIn,
  mustExecIn,
  sweepStaleNamespaces,
  Sandbox,
  type Netns,
  type ExecOptions,
  type ExecResult,
} from './netns.js';
export { FakeBinDir } from './fake-exec.js';
export { cniEnv, REFERENCE_PLUGIN_DIR, type CniEnvInput } from './cni-env.js';
export {
  runCniPlugin,
  DEFAULT_PLUGIN_PATH_ENV,
  snapshotState,
  normalizeResult,
  diffStates,
  diffJson,
  cleanNft,
  OracleError,
  type RunPluginOptions,
  type PluginRun,
  type SnapshotOptions,
  type StateSnapshot,
  type NormalizedState,
  type LinkFacts,
  type Aliases,
} from './oracle/index.js';
export {
  BRIDGE_EXECUTABLES,
  BRIDGE_PLUGIN_DIST,
  bridgeExecutable,
  pluginPathEnv,
  type BridgeExecutableKind,
} from './bridge-executables.js';
export {
  RecordingRunner,
  type RecordedCall,
  type RecordedRunOptions,
  type RecordedRunResult,
  type Responder,
} from './recording-runner.js';
export {
  callProblems,
  batchProblems,
  scriptProblems,
  batchWordProblem,
  interfaceNameProblem,
  netnsPathProblem,
  plainTextProblem,
  type GrammarOptions,
} from './command-grammar.js';
export {
  BRIDGE_BIN_ENV,
  REFERENCE_BRIDGE,
  bridgeUnderTest,
  bridgeUnderTestPath,
  isReferenceBridge,
} from './bridge-under-test.js';
export { MountSession, type BindMount, type MountSessionOptions } from './mount-session.js';
export {
  readResidue,
  residueDiff,
  flattenRuleset,
  type Residue,
  type ResidueOptions,
} from './residue.js';
export {
  checkCniOutcome,
  ENGINE_MESSAGE,
  type CniErrorDoc,
  type PluginOutcome,
} from './cni-outcome.js';
export { setupOrFailEach } from './suite-setup.js';
export {
  HOSTILE_CHARS,
  hostileCharFrom,
  repeatedString,
  hostileStringOf,
  jsonLeaves,
  anyJsonOf,
  caseVariant,
  type HostileStringSizes,
} from './fuzz-arbitraries.js';
