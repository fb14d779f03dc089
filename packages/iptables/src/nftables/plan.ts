/**
 * Pure planning for the nftables masquerade backend: the reference's table
 * `inet cni_plugins_masquerade`, its chains, and per-attachment rules in `masq_checks` that are
 * found again by the hash prefix of their comment.
 */
import { cidrNetwork, formatCidrInetNtop, formatIpInetNtop, type IpCidr } from '@cnikit/netops';
import type { NftListing, NftRule } from '../nft.js';

export const TABLE = 'inet cni_plugins_masquerade';
export const MASQ_CHAIN = 'masq_checks';
const TABLE_COMMENT = 'Masquerading for plugins from github.com/containernetworking/plugins';
const CHAIN_COMMENT =
  'Masquerade traffic from certain IPs to any (non-multicast) IP outside their subnet';

/** The table, both chains and the rewritten `postrouting` rules, as every setup declares them. */
export function baseLines(): string[] {
  return [
    `add table ${TABLE} { comment "${TABLE_COMMENT}" ; }`,
    `add chain ${TABLE} ${MASQ_CHAIN} { comment "${CHAIN_COMMENT}" ; }`,
    `add chain ${TABLE} postrouting { type nat hook postrouting priority 100 ; }`,
    `flush chain ${TABLE} postrouting`,
    `add rule ${TABLE} postrouting ip daddr 224.0.0.0/4 return`,
    `add rule ${TABLE} postrouting ip6 daddr ff00::/8 return`,
    `add rule ${TABLE} postrouting goto ${MASQ_CHAIN}`,
  ];
}

/** One masquerade rule per address: from the address to anything outside its subnet. */
export function masqueradeRuleLine(ip: IpCidr, comment: string): string {
  const proto = nftProto(ip);
  return (
    `add rule ${TABLE} ${MASQ_CHAIN} ${proto} saddr ${formatIpInetNtop(ip.address)} ` +
    `${proto} daddr != ${formatCidrInetNtop(cidrNetwork(ip))} masquerade comment "${comment}"`
  );
}

/** The nft protocol keyword that matches an address of this family. */
export function nftProto(ip: IpCidr): 'ip' | 'ip6' {
  return ip.address.family === 4 ? 'ip' : 'ip6';
}

function deleteLine(rule: NftRule): string {
  return `delete rule ${TABLE} ${MASQ_CHAIN} handle ${rule.handle}`;
}

function masqRules(listing: NftListing): NftRule[] {
  return listing.rules.filter((r) => r.chain === MASQ_CHAIN);
}

/** Rules of `masq_checks` whose comment starts with `prefix`. */
export function rulesWithPrefix(listing: NftListing, prefix: string): NftRule[] {
  return masqRules(listing).filter((r) => r.comment?.startsWith(prefix) === true);
}

/** Setup: declare the base, drop this attachment's earlier rules, add one rule per address. */
export function planSetup(
  ips: readonly IpCidr[],
  instancePrefix: string,
  comment: string,
  listing: NftListing,
): { lines: string[]; usesHandles: boolean } {
  const stale = rulesWithPrefix(listing, instancePrefix);
  return {
    lines: [
      ...baseLines(),
      ...stale.map(deleteLine),
      ...ips.map((ip) => masqueradeRuleLine(ip, comment)),
    ],
    usesHandles: stale.length > 0,
  };
}

/** Teardown: delete the rules whose comment starts with the attachment's prefix. */
export function planTeardown(
  instancePrefix: string,
  listing: NftListing,
): { lines: string[]; usesHandles: boolean } {
  const lines = rulesWithPrefix(listing, instancePrefix).map(deleteLine);
  return { lines, usesHandles: lines.length > 0 };
}

/** GC: delete the network's rules whose full comment no valid attachment would write. */
export function planGc(
  networkPrefix: string,
  validComments: ReadonlySet<string>,
  listing: NftListing,
): { lines: string[]; usesHandles: boolean } {
  const lines = rulesWithPrefix(listing, `${networkPrefix}-`)
    .filter((r) => !validComments.has(r.comment ?? ''))
    .map(deleteLine);
  return { lines, usesHandles: lines.length > 0 };
}
