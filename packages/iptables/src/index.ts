export {
  setupMasquerade,
  teardownMasquerade,
  gcMasquerade,
  checkMasquerade,
} from './masquerade.js';
export type {
  MasqueradeContext,
  MasqueradeIdentity,
  SetupMasqueradeOptions,
  SetupMasqueradeResult,
  TeardownMasqueradeOptions,
  GcMasqueradeOptions,
  ValidAttachment,
} from './masquerade.js';
export { chooseBackend } from './backend-choice.js';
export type { MasqBackend, ChooseBackendOptions } from './backend-choice.js';
export { setupSpoofCheck, teardownSpoofCheck, gcSpoofCheck } from './spoofcheck.js';
export type {
  SpoofCheckIdentity,
  SetupSpoofCheckOptions,
  GcSpoofCheckOptions,
} from './spoofcheck.js';
export {
  chainName,
  masqueradeComment,
  nftMasqueradeComment,
  spoofCheckComment,
  spoofCheckChains,
} from './naming.js';
export { defaultSha512Hex, hashWithPrefix } from './hash.js';
export type { Sha512Hex } from './hash.js';
export { defaultRunner } from './runner.js';
export type { ExecContext } from './runner.js';
export { NetfilterError, NetfilterErrorCode, isNetfilterError } from './errors.js';
export type {
  NetfilterErrorCodeValue,
  NetfilterBackendName,
  NetfilterErrorDetails,
} from './errors.js';
