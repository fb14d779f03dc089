/**
 * netops' netlink executor against the real kernel, as the executable uses it: the same batches
 * (container addresses with broadcast, IPv6 nodad, link state and MAC, routes with gateway,
 * metric, table, scope and MTU, failures, deletions) through `ip` in one namespace and over netlink in
 * another must give the same outcomes, the same read and the same addresses and routes.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_ROOT_REASON, Sandbox, isRoot, mustExecIn, type Netns } from '@cnikit-tools/test-utils';

const BUN = join(import.meta.dirname, '../../../../node_modules/.bin/bun');
const PROBE = join(import.meta.dirname, 'netlink-probe.ts');

interface Outcome {
  line: number;
  text: string;
  status: string;
  kind?: string;
  message?: string;
}

/** The state that must not differ: addresses and routes of eth0 (indexes and MACs aside). */
async function state(ns: Netns): Promise<unknown> {
  const addrs = JSON.parse(
    await mustExecIn(ns, ['ip', '-details', '-json', 'addr', 'show', 'dev', 'eth0']),
  ) as Array<{ addr_info: Array<Record<string, unknown>> }>;
  const routes = await Promise.all(
    [
      ['-4', 'route', 'show', 'table', 'all'],
      ['-6', 'route', 'show', 'table', 'all'],
    ].map((args) => mustExecIn(ns, ['ip', ...args])),
  );
  return {
    addrs: addrs[0]?.addr_info
      .filter((a) => a.scope !== 'link')
      .map(({ valid_life_time: _v, preferred_life_time: _p, ...a }) => a),
    routes: routes.map((r) =>
      r
        .split('\n')
        .filter((l) => !l.startsWith('fe80::') && !l.startsWith('local fe80::'))
        // A new bridge has carrier for a moment: `linkdown` depends on when it is read.
        .map((l) => l.replace(' linkdown', ''))
        .sort(),
    ),
  };
}

/** The host side's links (bridge, veth) and the peer, as `ip -details -json` shows them. */
async function links(host: Netns, peers: Netns): Promise<unknown> {
  const show = async (ns: Netns, dev: string) => {
    const [link] = JSON.parse(
      await mustExecIn(ns, ['ip', '-details', '-json', 'link', 'show', 'dev', dev]),
    ) as Array<Record<string, unknown>>;
    const info = (link?.linkinfo ?? {}) as Record<string, Record<string, unknown> | undefined>;
    return {
      flags: link?.flags,
      mtu: link?.mtu,
      txqlen: link?.txqlen,
      master: link?.master,
      kind: info.info_kind,
      slave: info.info_slave_data && {
        hairpin: info.info_slave_data.hairpin,
        isolated: info.info_slave_data.isolated,
      },
    };
  };
  const [peer] = JSON.parse(
    await mustExecIn(peers, ['ip', '-details', '-json', 'link', 'show', 'dev', 'eth0']),
  ) as Array<Record<string, unknown>>;
  return {
    bridge: await show(host, 'br0'),
    veth: await show(host, 'veth1'),
    peer: { mac: peer?.address, mtu: peer?.mtu, txqlen: peer?.txqlen },
  };
}

describe.skipIf(!isRoot)(`netlink batches against the kernel (${NOT_ROOT_REASON})`, () => {
  const sandbox = new Sandbox();
  let a: Netns;
  let b: Netns;
  let peersA: Netns;
  let peersB: Netns;
  beforeAll(async () => {
    [a, b, peersA, peersB] = await Promise.all([
      sandbox.container(),
      sandbox.container(),
      sandbox.container(),
      sandbox.container(),
    ]);
    for (const ns of [a, b]) {
      await mustExecIn(ns, ['ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'peer0']);
      await mustExecIn(ns, ['ip', 'link', 'set', 'peer0', 'up']);
      await mustExecIn(ns, ['ip', 'link', 'set', 'lo', 'up']);
    }
  });
  afterAll(() => sandbox.cleanup());

  it('give the same outcomes, values and kernel state as through ip', async () => {
    const seen = JSON.parse(
      execFileSync(
        BUN,
        ['--conditions=@cnikit/source', PROBE, a.path, b.path, peersA.path, peersB.path],
        {
          encoding: 'utf8',
        },
      ),
    ) as Record<
      'ip' | 'netlink',
      Array<{
        processes?: number;
        kind?: string;
        outcomes: Outcome[];
        read?: Record<string, unknown>;
        routes?: Array<Record<string, unknown>>;
      }>
    >;
    const kinds = (runs: typeof seen.ip) =>
      runs.map((r) => ({
        kind: r.kind,
        outcomes: r.outcomes.map((o) => ({ line: o.line, status: o.status, kind: o.kind })),
      }));
    expect(kinds(seen.netlink)).toEqual(kinds(seen.ip));
    expect(seen.netlink.map((r) => r.processes)).toEqual([0, undefined, 0, 0]);
    expect(seen.ip[0]?.processes).toBe(1);
    // The failures read the same (iproute2's words); a missing device is named as ip names it.
    const failed = (runs: typeof seen.ip) =>
      runs[1]?.outcomes.filter((o) => o.status === 'failed').map((o) => o.kind);
    expect(failed(seen.netlink)).toEqual(['exists', 'not-found']);
    // The index and the link-local address (made from the first MAC) differ by namespace.
    const comparable = (read: Record<string, unknown> = {}) => {
      const { ifindex: _i, addresses, ...rest } = read;
      const global = (addresses as Array<{ scope: string }>).filter((x) => x.scope !== 'link');
      return { ...rest, addresses: global };
    };
    expect(comparable(seen.netlink[0]?.read)).toEqual(comparable(seen.ip[0]?.read));
    // The route listing, parsed: everything but the link-local routes (their addresses come from
    // each namespace's first MACs), the IPv6 local table (the kernel fills it in the background
    // once the link is up: what is there depends on when it is read) and `linkdown`, which
    // depends on when the carrier was read.
    const routes = (list: Array<Record<string, unknown>> = []) =>
      list
        .filter((r) => !String(r.dst).startsWith('fe80:'))
        .filter((r) => !(r.family === 6 && r.table === 'local'))
        .map((r): Record<string, unknown> => ({
          ...r,
          flags: (r.flags as string[]).filter((f) => f !== 'linkdown'),
        }));
    const viaIp = routes(seen.ip[0]?.routes);
    expect(viaIp.map((r) => r.dst)).toEqual(
      expect.arrayContaining(['0.0.0.0/0', '10.9.0.0/16', '192.168.7.0/24', '::/0']),
    );
    expect(routes(seen.netlink[0]?.routes)).toEqual(viaIp);
    expect(await state(b)).toEqual(await state(a));
    const {
      ifindex: _k,
      addresses: _a,
      peerIfindex: _p,
      peerNetnsId: _q,
      ...hostVeth
    } = seen.netlink[3]?.read ?? {};
    expect(hostVeth).toMatchObject({ master: 'br0', hairpin: true, isolated: true, txqlen: 0 });
    const {
      ifindex: _l,
      addresses: _b,
      peerIfindex: _r,
      peerNetnsId: _s,
      ...hostVethIp
    } = seen.ip[3]?.read ?? {};
    expect(hostVeth).toEqual({ ...hostVethIp, mac: hostVeth.mac });
    expect(await links(b, peersB)).toEqual(await links(a, peersA));
  });
});
