/**
 * Differences between the reference bridge and ours that the differential suite accepts. Each
 * entry names the config (or '*' for all), the path prefix of the difference as the suite prints
 * it, and why the difference is intended; docs/compatibility.md documents each one.
 *
 * Paths start with the phase: `add0`/`add1` (the ADD calls of containers c0/c1), `check`,
 * `del0`/`del1`/`delAgain` (each `{exitCode, output}`), `afterAdd`/`afterDel` (the snapshots:
 * links, addresses, routes, sysctls, firewall, store). A = reference, B = ours. Examples:
 *   { config: '*', path: 'afterAdd.links.host["veth#0"].txqlen', reason: '...' }
 *     matches `afterAdd.links.host["veth#0"].txqlen: A 0 ≠ B 1000`;
 *   { config: 'l2only', path: 'check', reason: '...' } matches every difference of its CHECK.
 */

/** One accepted difference. */
export interface KnownDifference {
  /** A config name from configs.ts, or '*' for every config. */
  config: string;
  /** The difference's path, or a prefix of it ending before a `.` or `[`. */
  path: string;
  /** Why ours differs on purpose (and where docs/compatibility.md explains it). */
  reason: string;
}

const DNS =
  'The 1.x spec omits an empty `dns`; we leave out `dns: {}` at every version (it carries nothing; the Go types print it). compatibility.md, Differences of form.';
const ERROR_VERSION =
  'Error objects carry `cniVersion` (spec §2.6); the Go skel leaves it out. compatibility.md, Differences of form.';
const KEEP_ADDR =
  'With IPv6 we write keep_addr_on_down=1 as the newest reference does; 1.1.1 does not. compatibility.md, Differences of form.';
const ROLLBACK =
  "The ADD fails on the bridge's other address; we roll back the veth, container interface and sysctls, the reference leaves them until DEL (and the bridge, portless, is DOWN without MAC). compatibility.md, ADD fails half-way.";
const PARALLEL_IPAM =
  "IPAM runs beside the host batch: when the bridge cannot be made (no VLAN filtering here) the address is released by the rollback, but host-local's lock file and round-robin cursor stay. No address is held. compatibility.md, Differences of form.";
const L2_CHECK =
  'CHECK of an L2 network works; the reference always fails (no plugin name provided). compatibility.md, CHECK of an L2 network.';

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  { config: '*', path: 'add0.output.dns', reason: DNS },
  { config: '*', path: 'add1.output.dns', reason: DNS },
  {
    config: 'dual-stack',
    path: 'afterAdd.sysctls.c0["ipv6/conf/eth0/keep_addr_on_down"]',
    reason: KEEP_ADDR,
  },
  {
    config: 'dual-stack',
    path: 'afterAdd.sysctls.c1["ipv6/conf/eth0/keep_addr_on_down"]',
    reason: KEEP_ADDR,
  },
  {
    config: 'dual-stack-ipmasq-0.4.0',
    path: 'afterAdd.sysctls.c0["ipv6/conf/eth0/keep_addr_on_down"]',
    reason: KEEP_ADDR,
  },
  {
    config: 'dual-stack-ipmasq-0.4.0',
    path: 'afterAdd.sysctls.c1["ipv6/conf/eth0/keep_addr_on_down"]',
    reason: KEEP_ADDR,
  },
  { config: 'l2only', path: 'check', reason: L2_CHECK },
  { config: 'no-force-address', path: 'add0.output.cniVersion', reason: ERROR_VERSION },
  { config: 'no-force-address', path: 'add1.output.cniVersion', reason: ERROR_VERSION },
  { config: 'vlan', path: 'add0.output.cniVersion', reason: ERROR_VERSION },
  { config: 'vlan', path: 'add1.output.cniVersion', reason: ERROR_VERSION },
  { config: 'no-force-address', path: 'afterAdd.links.c0', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.links.c1', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.links.host["veth#0"]', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.links.host["veth#1"]', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.links.host.cni0.mac', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.links.host.cni0.macIsZero', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.links.host.cni0.operstate', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.addresses.c0', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.addresses.c1', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.addresses.host["veth#0"]', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.addresses.host["veth#1"]', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.routes.c0', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.routes.c1', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.routes.host', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.sysctls.c0', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.sysctls.c1', reason: ROLLBACK },
  { config: 'no-force-address', path: 'afterAdd.sysctls.host', reason: ROLLBACK },
  { config: 'vlan', path: 'afterAdd.store["testnet/lock"]', reason: PARALLEL_IPAM },
  { config: 'vlan', path: 'afterAdd.store["testnet/last_reserved_ip.0"]', reason: PARALLEL_IPAM },
  { config: 'vlan', path: 'afterDel.store["testnet/last_reserved_ip.0"]', reason: PARALLEL_IPAM },
];
