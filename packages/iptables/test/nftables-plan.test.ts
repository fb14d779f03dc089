import { describe, expect, it } from 'vitest';
import { nftMasqueradeComment } from '../src/index.ts';
import { validateIps } from '../src/validate.ts';
import { nftInstancePrefix, nftNetworkPrefix } from '../src/naming.ts';
import { matchRight, parseNftJson } from '../src/nft.ts';
import { planGc, planSetup, planTeardown } from '../src/nftables/plan.ts';
import { fixture } from './helpers/fixtures.ts';
import { NFT_ATTACHMENTS } from './helpers/scenario.ts';

const listing = parseNftJson(fixture('nft-four-attachments.json'), 'nftables');
const [, two] = NFT_ATTACHMENTS;
const prefixOf = (a: (typeof NFT_ATTACHMENTS)[number]) =>
  nftInstancePrefix(a.network, a.ifName, a.containerId);
const commentOf = (a: (typeof NFT_ATTACHMENTS)[number]) =>
  nftMasqueradeComment(a.network, a.ifName, a.containerId);
const deletedHandles = (lines: string[]) =>
  lines.filter((l) => l.startsWith('delete rule')).map((l) => Number(l.split(' ').at(-1)));

describe('nft -j parsing', () => {
  it('reads rules with handles, comments and expressions', () => {
    expect(listing.rules.map((r) => r.handle)).toEqual([6, 10, 11, 15, 19]);
    const v6 = listing.rules[2];
    expect(v6 && matchRight(v6.expr, 'ip6', 'saddr', '==')).toBe('2001:db8::2');
    expect(v6 && matchRight(v6.expr, 'ip6', 'daddr', '!=')).toBe('2001:db8::/64');
  });

  it('refuses output that is not nft JSON', () => {
    expect(() => parseNftJson('table inet x {}', 'nftables')).toThrow(/not JSON/);
    expect(() => parseNftJson('{"x":[]}', 'nftables')).toThrow(/no "nftables" array/);
  });
});

describe('nftables masquerade plans', () => {
  it('setup declares the base and replaces the attachment rules (golden transaction)', () => {
    const plan = planSetup(validateIps(two.ips), prefixOf(two), commentOf(two), listing);
    expect(plan.lines.join('\n') + '\n').toBe(fixture('nft-setup-unit-test-two.nft'));
    expect(plan.usesHandles).toBe(true);
  });

  it('teardown deletes exactly the attachment rules by handle', () => {
    expect(deletedHandles(planTeardown(prefixOf(two), listing).lines)).toEqual([10, 11]);
    const none = planTeardown(nftInstancePrefix('unit-test', 'eth9', 'x'), listing);
    expect(none).toEqual({ lines: [], usesHandles: false });
  });

  it('GC keeps valid attachments of the network and never touches other networks', () => {
    const valid = new Set([commentOf(two)]);
    expect(deletedHandles(planGc(nftNetworkPrefix('unit-test'), valid, listing).lines)).toEqual([
      6, 15,
    ]);
    expect(deletedHandles(planGc(nftNetworkPrefix('alternate'), new Set(), listing).lines)).toEqual(
      [19],
    );
  });
});
