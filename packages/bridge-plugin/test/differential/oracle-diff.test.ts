/**
 * The oracle's pure parts: JSON differences, allow-list path matching, result normalization, nft
 * dump cleaning.
 */
import { describe, expect, test } from 'vitest';
import { cleanNft, diffJson, normalizeResult, type Aliases } from '@cnikit-tools/test-utils';
import { pathMatches } from './support/compare.js';

describe('diffJson', () => {
  test('equal values have no differences', () => {
    expect(diffJson({ a: [1, 'x'], b: { c: null } }, { b: { c: null }, a: [1, 'x'] })).toEqual([]);
  });

  test('reports changed scalars and keys on one side with their paths', () => {
    expect(
      diffJson(
        { links: { 'veth#0': { txqlen: 0 } }, gone: 1 },
        { links: { 'veth#0': { txqlen: 1000 } } },
      ),
    ).toEqual(['gone: only in A: 1', 'links["veth#0"].txqlen: A 0 ≠ B 1000']);
  });

  test('compares lists of lines as multisets and notices a new order', () => {
    expect(diffJson({ r: ['a', 'b', 'b'] }, { r: ['b', 'c', 'a'] })).toEqual([
      'r: only in A: "b"',
      'r: only in B: "c"',
    ]);
    expect(diffJson({ r: ['a', 'b'] }, { r: ['b', 'a'] })).toEqual([
      'r: same entries in another order',
    ]);
  });

  test('compares lists of objects position by position', () => {
    expect(
      diffJson(
        { ips: [{ address: '10.0.0.2/24' }] },
        { ips: [{ address: '10.0.0.3/24' }, { address: 'x' }] },
      ),
    ).toEqual([
      'ips[0].address: A "10.0.0.2/24" ≠ B "10.0.0.3/24"',
      'ips[1]: only in B: {"address":"x"}',
    ]);
  });

  test('a prefix names the compared part', () => {
    expect(diffJson(1, 2, 'check.exitCode')).toEqual(['check.exitCode: A 1 ≠ B 2']);
  });
});

describe('pathMatches', () => {
  const line = 'afterAdd.links.host["veth#0"].txqlen: A 0 ≠ B 1000';
  test.each([
    ['afterAdd.links.host["veth#0"].txqlen', true],
    ['afterAdd.links.host["veth#0"]', true],
    ['afterAdd.links', true],
    ['afterAdd.link', false],
    ['afterAdd.links.host["veth#0"].txq', false],
    ['afterDel', false],
  ])('%s → %s', (prefix, want) => {
    expect(pathMatches(line, prefix)).toBe(want);
  });
});

describe('normalizeResult', () => {
  const aliases: Aliases = {
    names: { host: { lo: 'lo', cni0: 'cni0', vethab12cd34: 'veth#0' }, c0: { eth0: 'eth0' } },
    peers: {},
    macs: {
      '0a:00:00:00:00:01': 'mac-of:c0/eth0',
      '0a:00:00:00:00:02': 'mac-of:host/cni0',
      '00:00:00:00:00:00': 'zero',
      '0a:00:00:00:00:03': 'mac-of:host/veth#0',
    },
    bridgePortMacs: { host: { cni0: ['0a:00:00:00:00:03'] } },
    linkLocals: {},
    netnsPaths: { '/run/netns/cnk-1-abc-c0': 'netns:c0' },
  };

  test('replaces host veth names, MACs and sandbox paths, and leaves the rest', () => {
    const result = {
      cniVersion: '1.0.0',
      interfaces: [
        { name: 'cni0', mac: '0A:00:00:00:00:02' },
        { name: 'vethab12cd34', mac: '0a:00:00:00:00:99' },
        { name: 'eth0', mac: '0a:00:00:00:00:01', sandbox: '/run/netns/cnk-1-abc-c0' },
      ],
      ips: [{ address: '10.22.0.2/16', gateway: '10.22.0.1', interface: 2 }],
    };
    expect(normalizeResult(result, aliases)).toEqual({
      cniVersion: '1.0.0',
      interfaces: [
        { name: 'cni0', mac: 'mac-of:host/cni0' },
        { name: 'veth#0', mac: 'unknown-mac' },
        { name: 'eth0', mac: 'mac-of:c0/eth0', sandbox: 'netns:c0' },
      ],
      ips: [{ address: '10.22.0.2/16', gateway: '10.22.0.1', interface: 2 }],
    });
  });

  test('a bridge wearing a port MAC is `a-port-mac`, the port keeps its own label', () => {
    const result = {
      interfaces: [
        { name: 'cni0', mac: '0a:00:00:00:00:03' },
        { name: 'vethab12cd34', mac: '0a:00:00:00:00:03' },
      ],
    };
    expect(normalizeResult(result, aliases)).toEqual({
      interfaces: [
        { name: 'cni0', mac: 'a-port-mac' },
        { name: 'veth#0', mac: 'mac-of:host/veth#0' },
      ],
    });
  });
});

describe('cleanNft', () => {
  // As nft 1.0.6 prints it when it cannot load the iptables target (the rule's target is missing).
  const listing = [
    'table ip nat {',
    '\tchain CNI-0a1b {',
    '\t\tip daddr != 224.0.0.0/4 counter packets 3 bytes 180 masquerade',
    '\t}',
    '}',
    'table ip6 nat {',
    '\tchain CNI-0a1b {',
    '\t\tip6 daddr != ff00::/8 counter packets 0 bytes 0 ',
    '\t}',
    '}',
    'table inet cnikit {',
    '\tchain postrouting {',
    '\t\tip saddr 10.1.0.2 counter packets 7 bytes 420 masquerade',
    '',
    '\t}',
    '}',
  ].join('\n');

  test('leaves out the tables iptables-nft owns and the counters of the rest', () => {
    expect(cleanNft(listing)).toEqual([
      'table inet cnikit {',
      'chain postrouting {',
      'ip saddr 10.1.0.2 counter masquerade',
      '}',
      '}',
    ]);
  });

  test('keeps a native table whose family is not an iptables one', () => {
    const bridgeTable = 'table bridge filter {\n\tchain forward {\n\t}\n}';
    expect(cleanNft(bridgeTable)).toEqual(['table bridge filter {', 'chain forward {', '}', '}']);
  });
});
