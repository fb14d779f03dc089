/**
 * Result shapes of every spec version. The skel's internal form is the 1.1.0 {@link Result};
 * {@link Result040} and {@link Result020} are the wire shapes of older versions.
 */

/** DNS settings of a result or a network config. */
export interface Dns {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

/** An interface an attachment created or uses (1.1.0 adds mtu, socketPath, pciID). */
export interface Interface {
  name: string;
  mac?: string;
  mtu?: number;
  /** The CNI_NETNS path for interfaces in the container; absent for host interfaces. */
  sandbox?: string;
  socketPath?: string;
  pciID?: string;
}

/** An address with its prefix ("10.1.0.5/16", host bits kept). */
export interface IpConfig {
  address: string;
  gateway?: string;
  /** Index into `interfaces`; 0 is a valid index. */
  interface?: number;
}

/** A route (1.1.0 adds mtu, advmss, priority, table, scope). */
export interface Route {
  dst: string;
  gw?: string;
  mtu?: number;
  advmss?: number;
  priority?: number;
  table?: number;
  scope?: number;
}

/** A 1.0.0 or 1.1.0 result: the skel's internal form. */
export interface Result {
  cniVersion: string;
  interfaces?: Interface[];
  ips?: IpConfig[];
  routes?: Route[];
  dns?: Dns;
}

/** The 0.3.0 / 0.3.1 / 0.4.0 result: ips carry a family `version`. */
export interface Result040 {
  cniVersion: string;
  interfaces?: Array<Pick<Interface, 'name' | 'mac' | 'sandbox'>>;
  ips?: Array<IpConfig & { version: '4' | '6' }>;
  routes?: Route[];
  dns?: Dns;
}

/** One family of the legacy 0.1.0 / 0.2.0 result. */
export interface IpConfig020 {
  ip: string;
  gateway?: string;
  routes?: Array<Pick<Route, 'dst' | 'gw'>>;
}

/** The legacy 0.1.0 / 0.2.0 result. */
export interface Result020 {
  cniVersion: string;
  ip4?: IpConfig020;
  ip6?: IpConfig020;
  dns?: Dns;
}

/** A result of any spec version, told apart by its `cniVersion`. */
export type AnyResult = Result | Result040 | Result020;
