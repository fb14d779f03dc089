// @cnikit/netops: Linux network operations through iproute2, one process per namespace and step.

// Running commands
export type {
  CommandRunner,
  NetlinkConnection,
  NetlinkOpener,
  NetnsEnter,
  RunOptions,
  RunResult,
  SyncSysctlFiles,
} from './runner.js';
export { netlinkConnection, type DatagramSocket } from './netlink/connection.js';
export { startLinkDeletion, type LinkDeletion } from './netlink/link-delete.js';
export { execaRunner, createExecaRunner, type RunnerOptions } from './runners/execa-runner.js';
export { spawnRunner, createSpawnRunner } from './runners/spawn-runner.js';
export { inNetns, NSENTER } from './runners/netns-prefix.js';

// Errors
export {
  NetopsError,
  isNetopsError,
  type NetopsErrorKind,
  type NetopsErrorStage,
  type NetopsErrorFields,
} from './errors.js';
export { classifyMessage } from './classify.js';

// Validation
export {
  assertIfName,
  isValidIfName,
  ifNameProblem,
  normalizeMac,
  isUnicastMac,
  assertNetnsPath,
  assertBatchWord,
} from './validate.js';

// Addresses and CIDRs
export {
  parseIp,
  tryParseIp,
  parseCidr,
  tryParseCidr,
  formatIp,
  formatCidr,
  formatIpInetNtop,
  formatCidrInetNtop,
  canonicalIp,
  canonicalCidr,
  cidrNetwork,
  cidrFirstHost,
  cidrContains,
  cidrsOverlap,
  cidrEquals,
  ipEquals,
  familyOf,
  familyBits,
  type IpFamily,
  type IpAddress,
  type IpCidr,
} from './ip-address.js';
export { compareIp, offsetIp, nextIp, prevIp, cidrLastAddress, hostCidr } from './ip-arithmetic.js';

// Batches: build, apply, undo
export { Batch, type QueryHandle } from './batch/batch.js';
export {
  IpBatch,
  type NetnsTarget,
  type BridgeAddOptions,
  type VethSpec,
  type LinkChanges,
  type BridgePortFlags,
  type AddrAddOptions,
  type RouteSpec,
  type RouteScope,
} from './batch/ip-batch.js';
export { BridgeBatch, type VlanAddOptions } from './batch/bridge-batch.js';
export type {
  BatchLine,
  BatchTool,
  OpOptions,
  KindHints,
  LineOutcome,
  LineStatus,
} from './batch/line.js';
export { applyBatch, type ApplyOptions, type BatchResult } from './batch/apply.js';
export { Journal, type JournalEntry, type RollbackOptions } from './batch/journal.js';
export { queryBatch, query, type QueryResults, type QueryOptions } from './batch/query-batch.js';

// Reads and their typed results
export {
  showLink,
  listLinks,
  listAddrs,
  listRoutes,
  showVlans,
  type Query,
  type LinkFilter,
  type AddrFilter,
  type RouteFilter,
} from './queries.js';
export type { LinkInfo } from './parse/link.js';
export type { AddrInfo } from './parse/addr.js';
export type { RouteInfo, NextHop } from './parse/route.js';
export type { VlanEntry, PortVlans } from './parse/vlan.js';

// Higher-level steps
export { ensureBridge, type BridgeSpec, type EnsuredBridge } from './bridge.js';
export {
  waitForOperstate,
  settleAddresses,
  OPERSTATE_DELAYS_MS,
  type WaitOptions,
  type OperstateWaitOptions,
  type SettleOptions,
} from './wait.js';
export { randomVethName } from './veth-name.js';

// Sysctls
export {
  readSysctl,
  writeSysctl,
  sysctlPath,
  interfaceSysctl,
  PROC_SYS,
  type SysctlWrite,
  type SysctlOutcome,
  type SysctlFsOptions,
} from './sysctl.js';
export { writeSysctls, type WriteSysctlsOptions } from './sysctls-in-netns.js';

// Namespaces
export { openNetns, ownNetnsPath, sameNetns, NSFS_MAGIC, type NetnsHandle } from './netns.js';
