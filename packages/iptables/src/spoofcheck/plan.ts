/**
 * Pure planning for the MAC spoof check, compatible with the reference: table `bridge nat`, base
 * chain PREROUTING, and per attachment the chains `cni-br-iface-<cid>-<if>` and `…-mac` whose
 * rules all carry the comment `macspoofchk-<cid>-<if>`.
 */
import { jumpTarget, type NftListing, type NftRule } from '../nft.js';

export const TABLE = 'bridge nat';
export const BASE_CHAIN = 'PREROUTING';
const CHAIN_PREFIX = 'cni-br-iface-';
const COMMENT_PREFIX = 'macspoofchk-';

/** An attachment's spoof-check names. */
export interface SpoofIdentity {
  comment: string;
  ifaceChain: string;
  macChain: string;
}

/**
 * Setup in one transaction: declare the table and chains, drop earlier PREROUTING jumps of this
 * attachment (so a repeated setup adds no duplicate), refill both chains.
 */
export function planSetup(
  id: SpoofIdentity,
  hostIfName: string,
  mac: string,
  listing: NftListing,
): { lines: string[]; usesHandles: boolean } {
  const stale = listing.rules.filter((r) => r.chain === BASE_CHAIN && r.comment === id.comment);
  const c = `comment "${id.comment}"`;
  return {
    lines: [
      `add table ${TABLE}`,
      `add chain ${TABLE} ${BASE_CHAIN} { type filter hook prerouting priority -300 ; policy accept ; }`,
      `add chain ${TABLE} ${id.ifaceChain}`,
      `add chain ${TABLE} ${id.macChain}`,
      `flush chain ${TABLE} ${id.ifaceChain}`,
      `flush chain ${TABLE} ${id.macChain}`,
      ...stale.map(deleteRuleLine),
      `add rule ${TABLE} ${BASE_CHAIN} iifname "${hostIfName}" jump ${id.ifaceChain} ${c}`,
      `add rule ${TABLE} ${id.ifaceChain} jump ${id.macChain} ${c}`,
      `add rule ${TABLE} ${id.macChain} ether saddr ${mac} return ${c}`,
      `add rule ${TABLE} ${id.macChain} drop ${c}`,
    ],
    usesHandles: stale.length > 0,
  };
}

function deleteRuleLine(rule: NftRule): string {
  return `delete rule ${TABLE} ${rule.chain} handle ${rule.handle}`;
}

/**
 * Removal of whole attachments: the PREROUTING rules carrying their comments (whatever interface
 * they match, so a vanished host veth does not matter), then their chains, flushed first.
 */
function planRemoval(
  comments: ReadonlySet<string>,
  chains: ReadonlySet<string>,
  listing: NftListing,
): { lines: string[]; usesHandles: boolean } {
  // Jumps into a removed chain must go too, or the chain could not be deleted.
  const rules = listing.rules.filter(
    (r) =>
      r.chain === BASE_CHAIN &&
      ((r.comment !== undefined && comments.has(r.comment)) ||
        chains.has(jumpTarget(r.expr) ?? '')),
  );
  const present = listing.chains.filter((c) => chains.has(c.name)).map((c) => c.name);
  return {
    lines: [
      ...rules.map(deleteRuleLine),
      ...present.map((name) => `flush chain ${TABLE} ${name}`),
      ...present.map((name) => `delete chain ${TABLE} ${name}`),
    ],
    usesHandles: rules.length > 0,
  };
}

/** Teardown of one attachment. */
export function planTeardown(
  id: SpoofIdentity,
  listing: NftListing,
): { lines: string[]; usesHandles: boolean } {
  return planRemoval(new Set([id.comment]), new Set([id.ifaceChain, id.macChain]), listing);
}

/**
 * GC: remove every spoof-check rule and chain not belonging to a valid attachment. Chains are
 * compared by full name (a `-mac` suffix cannot be split off reliably), comments likewise.
 */
export function planGc(
  valid: readonly SpoofIdentity[],
  listing: NftListing,
): { lines: string[]; usesHandles: boolean } {
  const keepComments = new Set(valid.map((v) => v.comment));
  const keepChains = new Set(valid.flatMap((v) => [v.ifaceChain, v.macChain]));
  const staleComments = new Set(
    listing.rules
      .map((r) => r.comment)
      .filter((c): c is string => c?.startsWith(COMMENT_PREFIX) === true && !keepComments.has(c)),
  );
  const staleChains = new Set(
    listing.chains
      .map((c) => c.name)
      .filter((n) => n.startsWith(CHAIN_PREFIX) && !keepChains.has(n)),
  );
  return planRemoval(staleComments, staleChains, listing);
}
