import { describe, expect, it } from 'vitest';
import { spoofCheckChains, spoofCheckComment } from '../src/index.ts';
import { parseNftJson } from '../src/nft.ts';
import { planGc, planSetup, planTeardown, type SpoofIdentity } from '../src/spoofcheck/plan.ts';
import { fixture } from './helpers/fixtures.ts';

/** The reference's own spoof checks for two containers (recorded from /usr/lib/cni/bridge). */
const reference = parseNftJson(fixture('reference-spoofcheck.nft.json'), 'spoofcheck');
const ident = (cid: string, ifName = 'eth0'): SpoofIdentity => {
  const chains = spoofCheckChains(cid, ifName);
  return {
    comment: spoofCheckComment(cid, ifName),
    ifaceChain: chains.iface,
    macChain: chains.mac,
  };
};
const text = (lines: string[]) => lines.join('\n') + '\n';

describe('spoof-check plans', () => {
  it('setup is one transaction that replaces an earlier PREROUTING jump (golden)', () => {
    const plan = planSetup(ident('ctr-ref-0001'), 'veth7af68c1a', 'c6:eb:0d:e8:07:5c', reference);
    expect(text(plan.lines)).toBe(fixture('spoofcheck-setup-ref-0001.nft'));
    expect(plan.usesHandles).toBe(true);
  });

  it('setup on an empty table deletes nothing', () => {
    const plan = planSetup(ident('c1'), 'veth0', '0a:58:0a:01:02:05', { chains: [], rules: [] });
    expect(plan.lines.some((l) => l.startsWith('delete'))).toBe(false);
    expect(plan.usesHandles).toBe(false);
  });

  it('teardown removes the reference rules and chains by comment and name (golden)', () => {
    expect(text(planTeardown(ident('ctr-ref-0001'), reference).lines)).toBe(
      fixture('spoofcheck-teardown-ref-0001.nft'),
    );
    expect(planTeardown(ident('absent'), reference).lines).toEqual([]);
  });

  it('GC removes exactly the attachments that are not valid', () => {
    const lines = planGc([ident('ctr-ref-0002')], reference).lines;
    expect(lines).toEqual(planTeardown(ident('ctr-ref-0001'), reference).lines);
    const all = planGc([], reference).lines;
    expect(all.filter((l) => l.startsWith('delete chain'))).toHaveLength(4);
    expect(all.filter((l) => l.startsWith('delete rule'))).toHaveLength(2);
  });

  it('GC compares full chain names, so colliding "-mac" names stay with the valid owner', () => {
    // Container "c1-eth0" with interface "mac" owns the chain that is also c1/eth0's -mac chain.
    const odd = ident('c1-eth0', 'mac');
    const plain = ident('c1');
    const listing = {
      chains: [odd.ifaceChain, odd.macChain, plain.ifaceChain].map((name, i) => ({
        family: 'bridge',
        table: 'nat',
        name,
        handle: i + 1,
      })),
      rules: [],
    };
    expect(odd.ifaceChain).toBe(plain.macChain);
    const deleted = planGc([odd], listing).lines.filter((l) => l.startsWith('delete chain'));
    expect(deleted).toEqual([`delete chain bridge nat ${plain.ifaceChain}`]);
  });
});
