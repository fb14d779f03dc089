/**
 * The nftables masquerade backend's effects: one `nft -j list` read and one `nft -f -`
 * transaction per operation.
 */
import { cidrNetwork, formatCidrInetNtop, formatIpInetNtop, type IpCidr } from '@cnikit/netops';
import { NetfilterError, NetfilterErrorCode } from '../errors.js';
import { canonicalAddressText } from '../address-text.js';
import { nftApply, nftList, matchRight, readPlanApply, type NftListing } from '../nft.js';
import type { ExecContext } from '../runner.js';
import { MASQ_CHAIN, TABLE, nftProto, planGc, planSetup, planTeardown } from './plan.js';

const BACKEND = 'nftables';
const [FAMILY, TABLE_NAME] = TABLE.split(' ') as [string, string];

/** The identity of one attachment's nftables rules. */
export interface NftMasqIdentity {
  /** `H(network)-H(ifname:containerID)`. */
  instancePrefix: string;
  /** The full comment of its rules. */
  comment: string;
}

const listMasqChain = (ctx: ExecContext): Promise<NftListing> =>
  nftList(ctx, BACKEND, ['chain', FAMILY, TABLE_NAME, MASQ_CHAIN]);

const apply = (ctx: ExecContext) => (lines: readonly string[]) => nftApply(ctx, BACKEND, lines);

/** Declares the table and chains, replaces this attachment's rules with one per address. */
export async function nftablesSetup(
  ctx: ExecContext,
  id: NftMasqIdentity,
  ips: readonly IpCidr[],
): Promise<void> {
  await readPlanApply(
    () => listMasqChain(ctx),
    (listing) => planSetup(ips, id.instancePrefix, id.comment, listing),
    apply(ctx),
  );
}

/** Deletes this attachment's rules (a missing table or chain is fine). */
export async function nftablesTeardown(ctx: ExecContext, id: NftMasqIdentity): Promise<void> {
  await readPlanApply(
    () => listMasqChain(ctx),
    (listing) => planTeardown(id.instancePrefix, listing),
    apply(ctx),
  );
}

/** Deletes the network's rules that no valid attachment would have written. */
export async function nftablesGc(
  ctx: ExecContext,
  networkPrefix: string,
  validComments: ReadonlySet<string>,
): Promise<void> {
  await readPlanApply(
    () => listMasqChain(ctx),
    (listing) => planGc(networkPrefix, validComments, listing),
    apply(ctx),
  );
}

/** Throws a missing-rules error unless the base chain and each address's rule exist. */
export async function nftablesCheck(
  ctx: ExecContext,
  id: NftMasqIdentity,
  ips: readonly IpCidr[],
): Promise<void> {
  const listing = await nftList(ctx, BACKEND, ['table', FAMILY, TABLE_NAME]);
  const missing: string[] = [];
  if (!listing.chains.some((c) => c.name === 'postrouting'))
    missing.push(`chain ${TABLE} postrouting`);
  const ours = listing.rules.filter((r) => r.chain === MASQ_CHAIN && r.comment === id.comment);
  for (const ip of ips) {
    const proto = nftProto(ip);
    const saddr = formatIpInetNtop(ip.address);
    const daddr = formatCidrInetNtop(cidrNetwork(ip));
    const found = ours.some(
      (r) =>
        canonicalAddressText(matchRight(r.expr, proto, 'saddr', '==') ?? '') === saddr &&
        canonicalAddressText(matchRight(r.expr, proto, 'daddr', '!=') ?? '') === daddr,
    );
    if (!found) missing.push(`${proto} saddr ${saddr} ${proto} daddr != ${daddr} masquerade`);
  }
  if (missing.length > 0)
    throw new NetfilterError(
      NetfilterErrorCode.MissingRules,
      `nftables: missing masquerade rules: ${missing.join('; ')}`,
      { backend: BACKEND },
    );
}
