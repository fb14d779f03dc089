/**
 * The MAC spoof check's effects: one `nft -j list table bridge nat` read and one `nft -f -`
 * transaction per operation.
 */
import { nftApply, nftList, readPlanApply, type NftListing } from '../nft.js';
import type { ExecContext } from '../runner.js';
import { planGc, planSetup, planTeardown, type SpoofIdentity } from './plan.js';

const BACKEND = 'spoofcheck';

const listTable = (ctx: ExecContext): Promise<NftListing> =>
  nftList(ctx, BACKEND, ['table', 'bridge', 'nat']);

const apply = (ctx: ExecContext) => (lines: readonly string[]) => nftApply(ctx, BACKEND, lines);

/** Installs (or refreshes) an attachment's spoof check. */
export async function spoofSetup(
  ctx: ExecContext,
  id: SpoofIdentity,
  hostIfName: string,
  mac: string,
): Promise<void> {
  await readPlanApply(
    () => listTable(ctx),
    (l) => planSetup(id, hostIfName, mac, l),
    apply(ctx),
  );
}

/** Removes an attachment's spoof check by its comment and chain names. */
export async function spoofTeardown(ctx: ExecContext, id: SpoofIdentity): Promise<void> {
  await readPlanApply(
    () => listTable(ctx),
    (l) => planTeardown(id, l),
    apply(ctx),
  );
}

/** Removes every spoof check not belonging to a valid attachment. */
export async function spoofGc(ctx: ExecContext, valid: readonly SpoofIdentity[]): Promise<void> {
  await readPlanApply(
    () => listTable(ctx),
    (l) => planGc(valid, l),
    apply(ctx),
  );
}
