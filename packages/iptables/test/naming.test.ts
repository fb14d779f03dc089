import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chainName,
  hashWithPrefix,
  masqueradeComment,
  nftMasqueradeComment,
  spoofCheckChains,
  spoofCheckComment,
} from '../src/index.ts';
import { nftInstancePrefix, nftNetworkPrefix, parseMasqueradeComment } from '../src/naming.ts';

describe('iptables chain names (reference vectors, reference-bridge.md §2.14)', () => {
  it('matches the upstream test vectors', () => {
    expect(chainName('test', '1234')).toBe('CNI-2bbe0c48b91a7d1b8a6753a8');
    expect(chainName('testalongnamethatdoesnotmakesense', '1234')).toBe(
      'CNI-374f33fe84ab0ed84dcdebe3',
    );
  });

  it('is always 28 characters and changes with either input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (net, id) => {
        const name = chainName(net, id);
        expect(name).toMatch(/^CNI-[0-9a-f]{24}$/);
        expect(chainName(net + 'x', id)).not.toBe(name);
      }),
      { numRuns: 50 },
    );
  });

  it('uses the hashing seam when given one', () => {
    const seen: string[] = [];
    const fake = (text: string): string => {
      seen.push(text);
      return 'ab'.repeat(64);
    };
    expect(chainName('net', 'cid', fake)).toBe('CNI-' + 'ab'.repeat(12));
    expect(seen).toEqual(['netcid']);
  });

  it('hashWithPrefix refuses impossible lengths like the reference', () => {
    expect(hashWithPrefix(10, 'P-', 'x')).toMatch(/^P-[0-9a-f]{8}$/);
    expect(() => hashWithPrefix(4, 'LONG', 'x')).toThrow(RangeError);
    expect(() => hashWithPrefix(129, 'P', 'x')).toThrow(RangeError);
  });
});

describe('iptables comments', () => {
  it('is the reference form and parses back', () => {
    const c = masqueradeComment('mynet', 'abc123');
    expect(c).toBe('name: "mynet" id: "abc123"');
    expect(parseMasqueradeComment(c)).toEqual({ network: 'mynet', containerId: 'abc123' });
    expect(parseMasqueradeComment('something else')).toBeUndefined();
  });
});

describe('nftables comments (reference vectors, §2.15)', () => {
  it('hashes network and instance like the reference', () => {
    expect(nftNetworkPrefix('unit-test')).toBe('6fd94d501e58f0aa');
    expect(nftNetworkPrefix('alternate')).toBe('82783ef24bdc7036');
    expect(nftInstancePrefix('unit-test', 'eth0', 'one')).toBe('6fd94d501e58f0aa-287fc69eff0574a2');
    expect(nftInstancePrefix('alternate', 'net1', 'three')).toBe(
      '82783ef24bdc7036-acb19d111858e348',
    );
  });

  it('writes the full comment and cuts it to 128 characters', () => {
    expect(nftMasqueradeComment('unit-test', 'eth0', 'one')).toBe(
      '6fd94d501e58f0aa-287fc69eff0574a2, net: unit-test, if: eth0, id: one',
    );
    const long = nftMasqueradeComment('n', 'eth0', 'c'.repeat(100));
    expect(long).toHaveLength(128);
    expect(long.startsWith(nftInstancePrefix('n', 'eth0', 'c'.repeat(100)))).toBe(true);
  });
});

describe('spoof-check names (§2.16)', () => {
  it('keys chains and comment by containerID-ifname', () => {
    expect(spoofCheckComment('dummy-0', 'eth0')).toBe('macspoofchk-dummy-0-eth0');
    expect(spoofCheckChains('dummy-0', 'eth0')).toEqual({
      iface: 'cni-br-iface-dummy-0-eth0',
      mac: 'cni-br-iface-dummy-0-eth0-mac',
    });
  });
});
