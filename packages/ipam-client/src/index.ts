// @cnikit/ipam-client: run the IPAM plugin a CNI config names, and apply its result to an interface.

export { IpamError, isIpamError } from './errors.js';
export type { IpamErrorOptions, IpamErrorReason } from './errors.js';
export { findPlugin, splitCniPath, type IsRegularFile } from './find-plugin.js';
export { DEFAULT_IPAM_TIMEOUT_MS, delegateEnv, execIpam } from './exec-ipam.js';
export type { IpamCommand, IpamExecOptions, IpamExecOutput, StderrSink } from './exec-ipam.js';
export { ipamAdd, ipamCheck, ipamDel, ipamGc, ipamStatus } from './ipam-verbs.js';
export { parseIpamResult } from './ipam-result.js';
export type { ParsedIpamResult } from './ipam-result.js';
export { planInterface } from './interface-plan.js';
export type { Family, InterfacePlan, PlannedAddress, PlannedRoute } from './interface-plan.js';
export { configureInterface, DEFAULT_SETTLE_TIMEOUT_MS } from './configure-interface.js';
export type {
  ConfigureInterfaceOptions,
  ConfigureReport,
  ContainerSysctl,
} from './configure-interface.js';
