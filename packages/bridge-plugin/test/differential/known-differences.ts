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

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [];
