/**
 * The public masquerade operations: validate the inputs, pick the backend, derive the names the
 * reference uses, and hand over to the iptables or nftables backend.
 */
import {
  resolveBackend,
  parseBackend,
  probeIptables,
  probeNftables,
  type MasqBackend,
} from './backend-choice.js';
import { throwCollected } from './errors.js';
import { defaultSha512Hex, type Sha512Hex } from './hash.js';
import {
  iptablesCheck,
  iptablesGc,
  iptablesSetup,
  iptablesSetupFresh,
  iptablesTeardown,
  iptablesTeardownExact,
  familiesOf,
} from './iptables/backend.js';
import type { IptablesIdentity } from './iptables/plan.js';
import {
  chainName,
  masqueradeComment,
  nftInstancePrefix,
  nftMasqueradeComment,
  nftNetworkPrefix,
} from './naming.js';
import {
  nftablesCheck,
  nftablesGc,
  nftablesSetup,
  nftablesTeardown,
  type NftMasqIdentity,
} from './nftables/backend.js';
import { contextOf, type ExecContext } from './runner.js';
import {
  validateContainerId,
  validateIfName,
  validateIps,
  validateList,
  validateNetworkName,
} from './validate.js';

/** Options every masquerade operation accepts besides the identity. */
export interface MasqueradeContext extends ExecContext {
  /** SHA-512 hex for chain names and nft comments (default: node:crypto, loaded lazily). */
  sha512Hex?: Sha512Hex | undefined;
}

/** Which attachment the rules belong to. */
export interface MasqueradeIdentity {
  /** The network name (the config's `name`). */
  network: string;
  containerId: string;
  /** The container interface (CNI_IFNAME); the iptables backend ignores it, as the reference. */
  ifName: string;
}

/** Options of {@link setupMasquerade} and {@link checkMasquerade}. */
export interface SetupMasqueradeOptions extends MasqueradeIdentity, MasqueradeContext {
  /** The container's addresses with their prefix and host bits, e.g. `10.1.2.5/24`. */
  ips: readonly string[];
  /** The network's `ipMasqBackend`: "iptables" or "nftables"; undefined chooses as the reference. */
  backend?: string | undefined;
}

/** Options of {@link teardownMasquerade}. */
export interface TeardownMasqueradeOptions extends MasqueradeIdentity, MasqueradeContext {
  /**
   * The attachment's addresses, when known (a DEL's prevResult). Not needed: rules are found by
   * the container's identity. When given (and not empty), only their families' iptables nat tables
   * are read, since setup writes rules only for the families of its addresses.
   */
  ips?: readonly string[] | undefined;
}

/** An attachment the runtime still considers valid (the spec's `cni.dev/valid-attachments`). */
export interface ValidAttachment {
  containerID: string;
  ifname: string;
}

/** Options of {@link gcMasquerade}. */
export interface GcMasqueradeOptions extends MasqueradeContext {
  network: string;
  /** Rules of attachments not in this list are removed; an empty list removes all of the network's. */
  validAttachments: readonly ValidAttachment[];
}

/** What {@link setupMasquerade} did. */
export interface SetupMasqueradeResult {
  backend: MasqBackend;
}

interface Resolved {
  ctx: ExecContext;
  hash: Sha512Hex;
  network: string;
  containerId: string;
  ifName: string;
}

function resolveIdentity(options: MasqueradeIdentity & MasqueradeContext): Resolved {
  return {
    ctx: contextOf(options),
    hash: options.sha512Hex ?? defaultSha512Hex,
    network: validateNetworkName(options.network),
    containerId: validateContainerId(options.containerId),
    ifName: validateIfName(options.ifName),
  };
}

function iptablesIdentity(
  r: Pick<Resolved, 'network' | 'hash'>,
  containerId: string,
): IptablesIdentity {
  return {
    chain: chainName(r.network, containerId, r.hash),
    comment: masqueradeComment(r.network, containerId),
  };
}

function nftIdentity(r: Resolved): NftMasqIdentity {
  return {
    instancePrefix: nftInstancePrefix(r.network, r.ifName, r.containerId, r.hash),
    comment: nftMasqueradeComment(r.network, r.ifName, r.containerId, r.hash),
  };
}

/**
 * Installs masquerading for the container's addresses, compatible with the reference: iptables
 * chain `CNI-<hash>` with own-subnet ACCEPT, non-multicast MASQUERADE and a POSTROUTING jump per
 * address, or a rule per address in nft table `inet cni_plugins_masquerade`. Repeating it adds
 * nothing. Costs per family: one `iptables-restore` for a new attachment on iptables; else one
 * read and at most one `iptables-restore` more (iptables), or one read and one `nft -f -`
 * (nftables), after the backend probe when no backend is given.
 */
export async function setupMasquerade(
  options: SetupMasqueradeOptions,
): Promise<SetupMasqueradeResult> {
  const r = resolveIdentity(options);
  const ips = validateIps(options.ips);
  const requested = options.backend === undefined ? undefined : parseBackend(options.backend);
  const id = iptablesIdentity(r, r.containerId);
  // A new attachment where iptables works, the usual case: one write per family, without the
  // backend probe or the read (the write succeeding is the probe; the reference's choice is then
  // iptables). Otherwise what it wrote stays whole or absent, and the choice and reading follow.
  if (requested !== 'nftables' && ips.length > 0 && (await iptablesSetupFresh(r.ctx, id, ips)))
    return { backend: 'iptables' };
  const { backend, natV4 } = await resolveBackend({ ...r.ctx, requested });
  if (backend === 'iptables') {
    await iptablesSetup(r.ctx, id, ips, natV4);
  } else {
    await nftablesSetup(r.ctx, nftIdentity(r), ips);
  }
  return { backend };
}

/**
 * Verifies that the rules setup would write exist (for CHECK); throws a NetfilterError with code
 * `missing-rules` naming what is absent.
 */
export async function checkMasquerade(options: SetupMasqueradeOptions): Promise<void> {
  const r = resolveIdentity(options);
  const ips = validateIps(options.ips);
  const backend =
    options.backend === undefined
      ? (await resolveBackend(r.ctx)).backend
      : parseBackend(options.backend);
  if (backend === 'iptables') await iptablesCheck(r.ctx, iptablesIdentity(r, r.containerId), ips);
  else await nftablesCheck(r.ctx, nftIdentity(r), ips);
}

/**
 * Runs the same removal on both backends concurrently; a backend's failure is reported only when
 * that backend is usable on this host (the reference's rule), all failures joined.
 */
async function onBothBackends(
  ctx: ExecContext,
  iptables: () => Promise<void>,
  nftables: () => Promise<void>,
): Promise<void> {
  const [ipt, nft] = await Promise.allSettled([iptables(), nftables()]);
  const errors: unknown[] = [];
  if (nft.status === 'rejected' && (await probeNftables(ctx))) errors.push(nft.reason);
  if (ipt.status === 'rejected' && (await probeIptables(ctx))) errors.push(ipt.reason);
  throwCollected(errors);
}

/**
 * Removes the container's masquerading by identity, whatever the addresses were (so it works when
 * the netns or the link is already gone): on both backends, the chain `CNI-<hash>` and every rule
 * that jumps to it or carries the container's comment (including the reference's legacy
 * `-s <ip>/<prefix>` jump), and the attachment's nft rules. Costs: one `nft -j list` and, per
 * family, one `iptables-save` plus one write where there is something to delete. With `ips` (a DEL
 * with prevResult) only their families are touched, with first one restore per family deleting
 * exactly what setup wrote: when that finds it all, nothing is read and nftables is not looked at
 * (the attachment's ADD used iptables); otherwise both backends are read and planned as above.
 */
export async function teardownMasquerade(options: TeardownMasqueradeOptions): Promise<void> {
  const r = resolveIdentity(options);
  const ips = options.ips === undefined ? [] : validateIps(options.ips);
  const id = iptablesIdentity(r, r.containerId);
  // Setup's own rules found whole on iptables: this attachment's ADD used iptables, so nftables
  // holds nothing of it and its listing (a process) is spared.
  if (ips.length > 0 && (await iptablesTeardownExact(r.ctx, id, ips))) return;
  await onBothBackends(
    r.ctx,
    () => iptablesTeardown(r.ctx, [id], ips.length > 0 ? familiesOf(ips) : undefined),
    () => nftablesTeardown(r.ctx, nftIdentity(r)),
  );
}

/**
 * Removes every masquerade rule of `network` whose attachment is not in `validAttachments`, on
 * both backends. iptables rules are matched by their comment (network and container ID; the
 * iptables backend has no interface name), nft rules by the network hash prefix of their comment
 * and the full comment each valid attachment would carry.
 */
export async function gcMasquerade(options: GcMasqueradeOptions): Promise<void> {
  const ctx = contextOf(options);
  const hash = options.sha512Hex ?? defaultSha512Hex;
  const network = validateNetworkName(options.network);
  const valid = validateList(options.validAttachments, 'validAttachments').map((a) => ({
    containerId: validateContainerId(a.containerID),
    ifName: validateIfName(a.ifname),
  }));
  const keepIds = new Set(valid.map((a) => a.containerId));
  const keepComments = new Set(
    valid.map((a) => nftMasqueradeComment(network, a.ifName, a.containerId, hash)),
  );
  await onBothBackends(
    ctx,
    () => iptablesGc(ctx, network, keepIds, (id) => iptablesIdentity({ network, hash }, id)),
    () => nftablesGc(ctx, nftNetworkPrefix(network, hash), keepComments),
  );
}
