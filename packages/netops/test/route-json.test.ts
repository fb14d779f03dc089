/**
 * Routes read over netlink: RTM_NEWROUTE payloads written as `ip -details -json route show table
 * all` prints them, then parsed by the same parser as iproute2's output. The kernel's own answers
 * are compared with iproute2's in the bridge plugin's netlink integration test.
 */
import { describe, expect, it } from 'vitest';
import { makeLine } from '../src/batch/line.js';
import { opOfLine } from '../src/netlink/ops.js';
import { routeJson } from '../src/netlink/route-json.js';
import { parseRoute } from '../src/parse/route.js';
import { IpBatch, listRoutes } from '../src/index.js';

/** One attribute: length, type, value, padded to 4 bytes. */
function attr(type: number, value: Uint8Array): number[] {
  const len = 4 + value.length;
  const out = [len & 0xff, len >> 8, type & 0xff, type >> 8, ...value];
  while (out.length % 4 !== 0) out.push(0);
  return out;
}
const u32 = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
const v4 = (...b: number[]) => Uint8Array.from(b);
const v6 = (text: string) => {
  const [head = '', tail = ''] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = groups(tail);
  const all = [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
};

interface Rtmsg {
  family: number;
  dstLen: number;
  table: number;
  protocol: number;
  scope: number;
  type: number;
  flags?: number;
}
function route(m: Rtmsg, ...attrs: number[][]): Uint8Array {
  const head = [
    m.family,
    m.dstLen,
    0,
    0,
    m.table,
    m.protocol,
    m.scope,
    m.type,
    ...u32(m.flags ?? 0),
  ];
  return Uint8Array.from([...head, ...attrs.flat()]);
}
const NAMES: Record<number, string> = { 1: 'lo', 7: 'eth0', 8: 'eth1' };
const name = (index: number) => NAMES[index];

describe('routeJson', () => {
  it('writes a default IPv4 route with gateway, device and metric as ip prints it', () => {
    const payload = route(
      { family: 2, dstLen: 0, table: 254, protocol: 3, scope: 0, type: 1 },
      attr(15, u32(254)),
      attr(6, u32(100)),
      attr(5, v4(10, 1, 2, 1)),
      attr(4, u32(7)),
    );
    expect(routeJson(payload, name)).toEqual({
      type: 'unicast',
      dst: 'default',
      gateway: '10.1.2.1',
      dev: 'eth0',
      table: 'main',
      protocol: 'boot',
      scope: 'global',
      metric: 100,
      flags: [],
    });
  });

  it('gives the parser what it reads from ip: prefixes, tables, scopes, metrics, flags', () => {
    const connected = route(
      { family: 2, dstLen: 24, table: 254, protocol: 2, scope: 253, type: 1, flags: 0x10 },
      attr(15, u32(254)),
      attr(1, v4(10, 1, 2, 0)),
      attr(7, v4(10, 1, 2, 5)),
      attr(4, u32(7)),
      attr(8, Uint8Array.from([...attr(2, u32(1400)), ...attr(8, u32(1360))])),
    );
    expect(parseRoute(routeJson(connected, name) ?? {})).toEqual({
      family: 4,
      dst: '10.1.2.0/24',
      type: 'unicast',
      gateway: undefined,
      dev: 'eth0',
      table: 'main',
      metric: undefined,
      scope: 'link',
      protocol: 'kernel',
      prefsrc: '10.1.2.5',
      mtu: 1400,
      advmss: 1360,
      flags: ['linkdown'],
      nexthops: [],
    });
    const local = route(
      { family: 2, dstLen: 32, table: 255, protocol: 2, scope: 254, type: 2 },
      attr(15, u32(255)),
      attr(1, v4(10, 1, 2, 5)),
      attr(4, u32(7)),
    );
    expect(routeJson(local, name)).toMatchObject({
      type: 'local',
      dst: '10.1.2.5',
      table: 'local',
      scope: 'host',
    });
  });

  it('writes IPv6 routes with their preference, and tables above 255 from RTA_TABLE', () => {
    const payload = route(
      { family: 10, dstLen: 0, table: 252, protocol: 3, scope: 0, type: 1 },
      attr(15, u32(1000)),
      attr(6, u32(1024)),
      attr(5, v6('fd00:1::1')),
      attr(4, u32(7)),
      attr(20, Uint8Array.of(1)),
    );
    const json = routeJson(payload, name);
    expect(json).toMatchObject({
      dst: 'default',
      table: '1000',
      gateway: 'fd00:1::1',
      pref: 'high',
    });
    expect(parseRoute(json ?? {})).toMatchObject({ family: 6, dst: '::/0', table: '1000' });
  });

  it('writes the next hops of a multipath route', () => {
    const hop = (flags: number, hops: number, index: number, gw: Uint8Array) => {
      const gateway = attr(5, gw);
      const len = 8 + gateway.length;
      return [len & 0xff, len >> 8, flags, hops, ...u32(index), ...gateway];
    };
    const payload = route(
      { family: 2, dstLen: 16, table: 254, protocol: 3, scope: 0, type: 1 },
      attr(15, u32(254)),
      attr(1, v4(10, 50, 0, 0)),
      attr(
        9,
        Uint8Array.from([...hop(0, 1, 7, v4(10, 1, 2, 2)), ...hop(4, 0, 8, v4(10, 1, 3, 3))]),
      ),
    );
    expect(routeJson(payload, name)?.nexthops).toEqual([
      { gateway: '10.1.2.2', dev: 'eth0', weight: 2, flags: [] },
      { gateway: '10.1.3.3', dev: 'eth1', weight: 1, flags: ['onlink'] },
    ]);
    expect(parseRoute(routeJson(payload, name) ?? {})?.nexthops).toEqual([
      { gateway: '10.1.2.2', dev: 'eth0', weight: 2 },
      { gateway: '10.1.3.3', dev: 'eth1', weight: 1 },
    ]);
  });

  it('leaves out what `ip route show` does not list: cached clones, other families', () => {
    const cloned = route(
      { family: 2, dstLen: 32, table: 254, protocol: 2, scope: 0, type: 1, flags: 0x200 },
      attr(1, v4(10, 1, 2, 9)),
    );
    expect(routeJson(cloned, name)).toBeUndefined();
    const mpls = route({ family: 28, dstLen: 20, table: 254, protocol: 3, scope: 0, type: 1 });
    expect(routeJson(mpls, name)).toBeUndefined();
    expect(routeJson(Uint8Array.of(2, 0, 0), name)).toBeUndefined();
  });
});

describe('route listings over netlink', () => {
  it('takes `route show table all` (what listRoutes reads) and leaves the dev filter to ip', () => {
    const b = new IpBatch();
    b.query(listRoutes({ table: 'all' }));
    b.query(listRoutes({ family: 6 }));
    b.query(listRoutes({ dev: 'eth0' }));
    expect(b.lines.map((l) => opOfLine(l)?.op)).toEqual(['route-list', 'route-list', undefined]);
    // Not a read (no parse): nothing to answer with, so ip.
    expect(opOfLine(makeLine(['route', 'show', 'table', 'all']))).toBeUndefined();
  });
});
