export { CniError, ErrorCode, isCniError, toCniError } from './errors.js';
export type { CniErrorJson, CniErrorOptions, ErrorCodeName } from './errors.js';
export { ALL_VERSIONS, CURRENT_VERSION, isSpecVersion, resultFamily } from './versions.js';
export type { ResultFamily, SpecVersion } from './versions.js';
export type {
  Dns,
  Interface,
  IpConfig,
  IpConfig020,
  Result,
  Result020,
  Result040,
  Route,
} from './result/types.js';
