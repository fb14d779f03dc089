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
