/**
 * @cnikit/host-local: a drop-in replacement for the reference host-local IPAM plugin, built on
 * @cnikit/cni-skel. The plugin is ready to run; the pieces are exported for embedding and tests.
 */
export { createHostLocalPlugin, hostLocalPlugin, requestedByCniArgs } from './plugin.js';
export type { HostLocalPluginOptions } from './plugin.js';
export { decodeNetConf, parseRequestedIp, resolveConfig } from './config.js';
export type { HostLocalConfig, HostLocalNetConf, IpamSection } from './config.js';
export { allocate, checkAvailability, collectGarbage, release, verify } from './ipam.js';
export type { IpamDeps } from './ipam.js';
export { flockCommandLocker, withStoreLock } from './lock.js';
export type { FlockCommandOptions, StoreLock, StoreLocker } from './lock.js';
export { DEFAULT_DATA_DIR, DiskStore } from './store.js';
export type { StoredReservation } from './store.js';
export { formatReservation, parseReservation } from './reservation.js';
export type { Attachment, ReservationOwner } from './reservation.js';
export { parseResolvConf, readResolvConf } from './resolv-conf.js';
export { HostLocalError } from './errors.js';
export type { HostLocalErrorKind } from './errors.js';
export { formatIp, parseCidr, parseIp } from './ip.js';
export type { Cidr, IpAddress, IpFamily } from './ip.js';
