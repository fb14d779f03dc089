/**
 * The public MAC spoof-check operations (the bridge's `macspoofchk`): frames entering the bridge
 * from the container's host veth must carry the container's MAC, others are dropped.
 */
import type { ValidAttachment } from './masquerade.js';
import { spoofCheckChains, spoofCheckComment } from './naming.js';
import { contextOf, type ExecContext } from './runner.js';
import { spoofGc, spoofSetup, spoofTeardown } from './spoofcheck/backend.js';
import type { SpoofIdentity } from './spoofcheck/plan.js';
import { validateContainerId, validateIfName, validateList, validateMac } from './validate.js';

/** Which attachment a spoof check belongs to. */
export interface SpoofCheckIdentity extends ExecContext {
  containerId: string;
  /** The container interface name (CNI_IFNAME). */
  ifName: string;
}

/** Options of {@link setupSpoofCheck}. */
export interface SetupSpoofCheckOptions extends SpoofCheckIdentity {
  /** The host end of the veth, enslaved to the bridge. */
  hostIfName: string;
  /** The container interface's MAC address. */
  mac: string;
}

/** Options of {@link gcSpoofCheck}. */
export interface GcSpoofCheckOptions extends ExecContext {
  /** Spoof checks of attachments not in this list are removed. */
  validAttachments: readonly ValidAttachment[];
}

function identity(containerId: string, ifName: string): SpoofIdentity {
  const cid = validateContainerId(containerId);
  const ifn = validateIfName(ifName);
  const chains = spoofCheckChains(cid, ifn);
  return { comment: spoofCheckComment(cid, ifn), ifaceChain: chains.iface, macChain: chains.mac };
}

/**
 * Installs the spoof check in one `nft -f -` transaction (after one read, so a repeated setup
 * replaces instead of duplicating): table `bridge nat`, base chain PREROUTING, a jump on
 * `iifname <hostIfName>` to `cni-br-iface-<cid>-<if>`, which jumps to `…-mac`: `ether saddr <mac>
 * return`, then `drop`.
 */
export async function setupSpoofCheck(options: SetupSpoofCheckOptions): Promise<void> {
  const id = identity(options.containerId, options.ifName);
  const host = validateIfName(options.hostIfName);
  await spoofSetup(contextOf(options), id, host, validateMac(options.mac));
}

/**
 * Removes the attachment's spoof check by its comment and chain names, so it works when the host
 * veth is already gone. One read and at most one transaction; a missing table is fine.
 */
export async function teardownSpoofCheck(options: SpoofCheckIdentity): Promise<void> {
  await spoofTeardown(contextOf(options), identity(options.containerId, options.ifName));
}

/**
 * Removes every spoof check (rules commented `macspoofchk-…`, chains `cni-br-iface-…`) whose
 * attachment is not in `validAttachments`. The reference's names carry no network, so pass every
 * attachment that is valid in this namespace, across networks: a spoof check of another
 * network's container that is missing from the list is removed too.
 */
export async function gcSpoofCheck(options: GcSpoofCheckOptions): Promise<void> {
  const valid = validateList(options.validAttachments, 'validAttachments').map((a) =>
    identity(a.containerID, a.ifname),
  );
  await spoofGc(contextOf(options), valid);
}
