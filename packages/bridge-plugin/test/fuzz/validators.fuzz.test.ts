/**
 * The validators the bridge relies on, fuzzed directly: @cnikit/netops (names, MACs, namespace
 * paths, batch words, and the batch builders that use them) and @cnikit/iptables (through its
 * public setup/teardown functions with a recording runner, since its checks are internal). What
 * they accept must satisfy the strict grammar of @cnikit-tools/test-utils; what they refuse must
 * be refused with their own typed error, before any command. The grammar itself is checked first.
 */
import {
  RecordingRunner,
  batchProblems,
  batchWordProblem,
  callProblems,
  interfaceNameProblem,
  netnsPathProblem,
  scriptProblems,
} from '@cnikit-tools/test-utils';
import {
  NetfilterErrorCode,
  isNetfilterError,
  setupMasquerade,
  setupSpoofCheck,
  teardownMasquerade,
  teardownSpoofCheck,
} from '@cnikit/iptables';
import {
  BridgeBatch,
  IpBatch,
  assertBatchWord,
  assertIfName,
  assertNetnsPath,
  ifNameProblem,
  isNetopsError,
  isValidIfName,
  normalizeMac,
} from '@cnikit/netops';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileAddress, hostileString, nearIfName } from './arbitraries.js';
import { expectNotVerbatim } from './support.js';

/** Runs `f`; returns the thrown value, or undefined. */
function thrown(f: () => unknown): unknown {
  try {
    f();
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('the grammar itself', () => {
  it('refuses injected lines, words and names, and accepts ordinary batches', () => {
    expect(batchProblems('link add name br0 type bridge\nlink set dev br0 up\n', 'ip')).toEqual([]);
    expect(batchProblems('vlan add dev veth1 vid 10 pvid untagged master\n', 'bridge')).toEqual([]);
    for (const bad of [
      'link set dev br0\n\nlink del eth0\n',
      'link set dev "br 0" up\n',
      'link set dev br0 up # x\n',
      'link set dev br0  up\n',
      'link set dev a/b up\n',
      'link set dev aaaaaaaaaaaaaaaa up\n',
      'link set dev br0 mtu 67\n',
      'link set dev br0 address 02:00:00:00:00:0G\n',
      'addr add 10.0.0.1 dev br0\n',
      'link set dev br0 up',
      'link add name \ud800 type bridge\n',
    ])
      expect(batchProblems(bad, 'ip')).not.toEqual([]);
    expect(scriptProblems('-A X -m comment --comment "a \\"b\\"" -j Y\n')).toEqual([]);
    expect(scriptProblems('-A X -m comment --comment "a -j Y\n')).not.toEqual([]);
    expect(scriptProblems('-A X é\n')).not.toEqual([]);
    const call = {
      argv: ['sh', '-c', 'rm -rf /', 'sh', '/proc/sys', '0'],
      input: '',
      netns: undefined,
      env: undefined,
    };
    expect(callProblems(call)).not.toEqual([]);
    expect(
      callProblems({ ...call, argv: ['ip', '-batch', '-'], netns: '/run/netns/a b' }),
    ).not.toEqual([]);
    // A name with a line break splits into grammatical lines: the verbatim check catches it.
    const split = {
      ...call,
      argv: ['ip', '-batch', '-'],
      input: 'link set dev br0\nlink del eth0 up\n',
    };
    expect(batchProblems(split.input, 'ip')).toEqual([]);
    expect(() => expectNotVerbatim([split], ['br0\nlink del eth0'])).toThrow();
  });
});

describe('@cnikit/netops validators', () => {
  it('interface names: the three checks agree, and what they accept is a safe name', () => {
    fc.assert(
      fc.property(nearIfName, (name) => {
        const problem = ifNameProblem(name);
        expect(isValidIfName(name)).toBe(problem === undefined);
        const err = thrown(() => assertIfName(name));
        expect(err === undefined).toBe(problem === undefined);
        if (err !== undefined) expect(isNetopsError(err, 'invalid')).toBe(true);
        if (problem === undefined) expect(interfaceNameProblem(name)).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('MACs: accepted ones come back as lower-case colon form, others are refused', () => {
    const mac = fc.oneof(
      fc
        .tuple(
          fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }),
          fc.constantFrom(':', '-'),
        )
        .map(([octets, sep]) => octets.map((b) => b.toString(16).padStart(2, '0')).join(sep)),
      fc.mixedCase(fc.constant('0a:Bc:de:F0:12:34')),
      hostileString,
    );
    fc.assert(
      fc.property(mac, (text) => {
        const err = thrown(() => normalizeMac(text));
        if (err !== undefined) expect(isNetopsError(err, 'invalid')).toBe(true);
        else expect(normalizeMac(text)).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      }),
      { numRuns: 500 },
    );
  });

  it('namespace paths and batch words: accepted ones are safe', () => {
    const path = fc.oneof(
      fc.stringMatching(/^\/[a-z0-9/._-]{0,20}$/),
      hostileString.map((s) => `/run/netns/${s}`),
      hostileString,
    );
    fc.assert(
      fc.property(path, (p) => {
        const pathErr = thrown(() => assertNetnsPath(p));
        if (pathErr === undefined) expect(netnsPathProblem(p)).toBeUndefined();
        else expect(isNetopsError(pathErr, 'invalid')).toBe(true);
        const wordErr = thrown(() => assertBatchWord(p));
        if (wordErr === undefined) expect(batchWordProblem(p)).toBeUndefined();
        else expect(isNetopsError(wordErr, 'invalid')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('batch builders either refuse hostile values or write grammatical lines', () => {
    const name = nearIfName;
    const int = fc.oneof(
      fc.integer({ min: -2, max: 70_000 }),
      fc.constantFrom(0.5, NaN, Infinity, 2 ** 53),
    );
    const op = fc.oneof(
      fc.record({ k: fc.constant('bridge' as const), name, mtu: int }),
      fc.record({
        k: fc.constant('veth' as const),
        name,
        peer: name,
        mac: hostileString,
        netns: hostileString,
      }),
      fc.record({ k: fc.constant('set' as const), name, master: name, mtu: int }),
      fc.record({ k: fc.constant('addr' as const), name, cidr: hostileAddress }),
      fc.record({
        k: fc.constant('route' as const),
        name,
        dst: hostileAddress,
        via: hostileString,
        metric: int,
      }),
      fc.record({ k: fc.constant('vlan' as const), name, vid: int }),
    );
    fc.assert(
      fc.property(op, (o) => {
        const ip = new IpBatch();
        const bridge = new BridgeBatch();
        const err = thrown(() => {
          if (o.k === 'bridge') ip.bridgeAdd(o.name, { mtu: o.mtu });
          if (o.k === 'veth')
            ip.vethAdd({ name: o.name, peerName: o.peer, peerMac: o.mac, peerNetns: o.netns });
          if (o.k === 'set') ip.linkSet(o.name, { master: o.master, mtu: o.mtu, up: true });
          if (o.k === 'addr') ip.addrAdd(o.name, o.cidr);
          if (o.k === 'route')
            ip.routePrepend({ dst: o.dst, via: o.via, dev: o.name, metric: o.metric });
          if (o.k === 'vlan') bridge.vlanAdd(o.name, o.vid, { pvid: true, untagged: true });
        });
        if (err !== undefined) expect(isNetopsError(err, 'invalid')).toBe(true);
        expect(batchProblems(ip.text(), 'ip')).toEqual([]);
        expect(batchProblems(bridge.text(), 'bridge')).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  // A lone surrogate written to ip's stdin as UTF-8 becomes U+FFFD: another name than the one
  // checked, so the validators refuse it.
  it('refuse text that is not valid UTF-16 (a lone surrogate)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0xd800, max: 0xdfff }), (unit) => {
        const s = `a${String.fromCharCode(unit)}`;
        expect(isValidIfName(s)).toBe(false);
        expect(thrown(() => assertNetnsPath(`/run/netns/${s}`))).toBeDefined();
        expect(thrown(() => assertBatchWord(s))).toBeDefined();
      }),
      { numRuns: 20 },
    );
  });
});

/** A recording runner answering the reads of iptables-save and nft as an empty host would. */
function netfilterRecorder(): RecordingRunner {
  return new RecordingRunner((argv) => {
    const program = argv[0] ?? '';
    if (program.endsWith('tables-save'))
      return { stdout: '*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n' };
    if (program === 'nft' && argv.includes('-j')) return { stdout: '{"nftables":[]}' };
    return undefined;
  });
}

describe('@cnikit/iptables validation, through its public operations', () => {
  const id = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,110}$/), hostileString);
  const ifName = fc.oneof(nearIfName, hostileString);
  const ips = fc.array(hostileAddress, { maxLength: 3 });

  it('masquerade setup and teardown refuse bad identities before any command, else stay clean', async () => {
    await fc.assert(
      fc.asyncProperty(
        id,
        id,
        ifName,
        ips,
        fc.constantFrom('iptables', 'nftables'),
        fc.boolean(),
        async (network, containerId, ifn, addrs, backend, setup) => {
          const recorder = netfilterRecorder();
          const options = {
            network,
            containerId,
            ifName: ifn,
            ips: addrs,
            backend,
            runner: recorder.run,
          };
          let err: unknown;
          try {
            if (setup) await setupMasquerade(options);
            else await teardownMasquerade(options);
          } catch (e) {
            err = e;
          }
          if (isNetfilterError(err) && err.code === NetfilterErrorCode.InvalidInput)
            expect(recorder.calls).toEqual([]);
          else expect(err).toBeUndefined();
          expect(recorder.calls.flatMap((c) => callProblems(c))).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('spoof check setup and teardown refuse bad identities and MACs before any command', async () => {
    const mac = fc.oneof(fc.constantFrom('02:00:00:00:00:01', '0A:0B:0C:0D:0E:0F'), hostileString);
    await fc.assert(
      fc.asyncProperty(
        id,
        ifName,
        ifName,
        mac,
        fc.boolean(),
        async (containerId, ifn, hostIfName, m, setup) => {
          const recorder = netfilterRecorder();
          let err: unknown;
          try {
            if (setup)
              await setupSpoofCheck({
                containerId,
                ifName: ifn,
                hostIfName,
                mac: m,
                runner: recorder.run,
              });
            else await teardownSpoofCheck({ containerId, ifName: ifn, runner: recorder.run });
          } catch (e) {
            err = e;
          }
          if (isNetfilterError(err) && err.code === NetfilterErrorCode.InvalidInput)
            expect(recorder.calls).toEqual([]);
          else expect(err).toBeUndefined();
          expect(recorder.calls.flatMap((c) => callProblems(c))).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
