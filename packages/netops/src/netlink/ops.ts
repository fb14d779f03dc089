/**
 * Which batch lines can go over netlink instead of through `ip`: the lines netops itself writes
 * for creating bridges and veth pairs, setting a link's MAC, MTU, txqueuelen, promiscuity, master,
 * state and bridge-port flags, deleting links, adding and deleting addresses and routes, and
 * reading a link with its addresses. A line is read back into an operation by its exact grammar;
 * anything else (and any word not understood) makes the whole batch go to `ip`.
 */
import { bytesOfHex } from '../hex.js';
import { parseIp, tryParseCidr, type IpAddress, type IpCidr } from '../ip-address.js';
import type { BatchLine } from '../batch/line.js';

const SCOPES: Record<string, number> = {
  global: 0,
  universe: 0,
  site: 200,
  link: 253,
  host: 254,
  nowhere: 255,
};
const TABLES: Record<string, number> = { default: 253, main: 254, local: 255 };

/** A route as the route lines spell it. */
export interface NlRoute {
  /** Destination with the prefix length (`0.0.0.0/0` for a default route). */
  dst: IpCidr;
  via?: IpAddress;
  dev?: string;
  metric?: number;
  table?: number;
  src?: IpAddress;
  scope?: number;
  mtu?: number;
  advmss?: number;
  onlink: boolean;
}

/** Link attributes as `link add` and `link set` lines spell them. */
export interface NlLinkAttrs {
  mac?: Uint8Array;
  mtu?: number;
  txqlen?: number;
  promisc?: boolean;
  /** A master's name, or null for `nomaster`. */
  master?: string | null;
  up?: boolean;
}

/** Where a link is created or moved: a namespace file, or a process's namespace. */
export type NlNetns = { path: string } | { pid: number };

/** One operation of a batch, for the netlink executor. */
export type NlOp =
  | { op: 'link-del'; dev: string }
  | { op: 'link-set'; dev: string; attrs: NlLinkAttrs }
  | { op: 'bridge-add'; name: string; attrs: NlLinkAttrs; vlanFiltering: boolean }
  | {
      op: 'veth-add';
      name: string;
      attrs: NlLinkAttrs;
      peer: string;
      peerAttrs: NlLinkAttrs;
      peerNetns?: NlNetns;
    }
  | { op: 'bridge-port'; dev: string; hairpin?: boolean; isolated?: boolean }
  | { op: 'addr-add'; dev: string; cidr: IpCidr; broadcast: boolean; nodad: boolean }
  | { op: 'addr-del'; dev: string; cidr: IpCidr }
  | { op: 'route'; verb: 'add' | 'prepend' | 'replace' | 'del'; route: NlRoute }
  | { op: 'show-link'; dev: string }
  | { op: 'route-list' };

const int = (word: string | undefined, max: number): number | undefined => {
  if (word === undefined || !/^(0|[1-9][0-9]*)$/.test(word)) return undefined;
  const n = Number(word);
  return n <= max ? n : undefined;
};

function routeOf(words: readonly string[]): NlRoute | undefined {
  const dst = tryParseCidr(words[0] ?? '');
  if (dst === undefined) return undefined;
  const route: NlRoute = { dst, onlink: false };
  for (let i = 1; i < words.length; i++) {
    const key = words[i];
    const value = words[i + 1];
    if (key === 'onlink') {
      route.onlink = true;
      continue;
    }
    if (value === undefined) return undefined;
    i += 1;
    if (key === 'via') route.via = parseIp(value);
    else if (key === 'src') route.src = parseIp(value);
    else if (key === 'dev') route.dev = value;
    else if (key === 'scope') route.scope = SCOPES[value] ?? int(value, 255);
    else if (key === 'table') route.table = TABLES[value] ?? int(value, 0xffffffff);
    else if (key === 'metric') route.metric = int(value, 0xffffffff);
    else if (key === 'mtu') route.mtu = int(value, 0xffffffff);
    else if (key === 'advmss') route.advmss = int(value, 0xffff);
    else return undefined;
    if (
      (key === 'scope' && route.scope === undefined) ||
      (key === 'table' && route.table === undefined) ||
      (key === 'metric' && route.metric === undefined) ||
      (key === 'mtu' && route.mtu === undefined) ||
      (key === 'advmss' && route.advmss === undefined)
    )
      return undefined;
  }
  return route;
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

const macBytes = (text: string): Uint8Array => bytesOfHex(text, ':');

/**
 * Reads `words` from `at` as link attributes up to the first word it does not know (returned as
 * `next`), or undefined when a value is malformed.
 */
function linkAttrs(
  words: readonly string[],
  at: number,
): { attrs: NlLinkAttrs; next: number } | undefined {
  const attrs: NlLinkAttrs = {};
  let i = at;
  for (; i < words.length; i++) {
    const key = words[i];
    const value = words[i + 1];
    if (key === 'up' || key === 'down') {
      attrs.up = key === 'up';
      continue;
    }
    if (key === 'nomaster') {
      attrs.master = null;
      continue;
    }
    if (key === 'address') {
      if (value === undefined || !MAC.test(value)) return undefined;
      attrs.mac = macBytes(value);
    } else if (key === 'mtu' || key === 'txqueuelen') {
      const n = int(value, 0xffffffff);
      if (n === undefined) return undefined;
      if (key === 'mtu') attrs.mtu = n;
      else attrs.txqlen = n;
    } else if (key === 'promisc') {
      if (value !== 'on' && value !== 'off') return undefined;
      attrs.promisc = value === 'on';
    } else if (key === 'master') {
      if (value === undefined) return undefined;
      attrs.master = value;
    } else break;
    i += 1;
  }
  return { attrs, next: i };
}

/** `link add` sets only these (state and master come with `link set`). */
const creatable = (a: NlLinkAttrs): boolean =>
  a.up === undefined && a.master === undefined && a.promisc === undefined;

const onOff = (word: string | undefined): boolean | undefined =>
  word === 'on' ? true : word === 'off' ? false : undefined;

/** `link add`, `link set` (plain or `type bridge_slave`) and `link del` lines. */
function linkOp(w: readonly string[]): NlOp | undefined {
  const verb = w[1];
  if (verb === 'del')
    return w.length === 4 && w[2] === 'dev' ? { op: 'link-del', dev: w[3] ?? '' } : undefined;
  if (verb === 'set') {
    if (w[2] !== 'dev' || w[3] === undefined) return undefined;
    const dev = w[3];
    if (w[4] === 'type' && w[5] === 'bridge_slave') {
      const op: NlOp = { op: 'bridge-port', dev };
      for (let i = 6; i < w.length; i += 2) {
        const flag = onOff(w[i + 1]);
        if (flag === undefined) return undefined;
        if (w[i] === 'hairpin') op.hairpin = flag;
        else if (w[i] === 'isolated') op.isolated = flag;
        else return undefined;
      }
      return op;
    }
    const parsed = linkAttrs(w, 4);
    if (!parsed || parsed.next !== w.length || Object.keys(parsed.attrs).length === 0)
      return undefined;
    return { op: 'link-set', dev, attrs: parsed.attrs };
  }
  if (verb !== 'add' || w[2] !== 'name' || w[3] === undefined) return undefined;
  const name = w[3];
  const own = linkAttrs(w, 4);
  if (!own || !creatable(own.attrs) || w[own.next] !== 'type') return undefined;
  const kind = w[own.next + 1];
  const rest = w.slice(own.next + 2);
  if (kind === 'bridge') {
    const vlanFiltering = rest.join(' ') === 'vlan_filtering 1';
    if (rest.length > 0 && !vlanFiltering) return undefined;
    return { op: 'bridge-add', name, attrs: own.attrs, vlanFiltering };
  }
  if (kind !== 'veth' || rest[0] !== 'peer' || rest[1] !== 'name' || rest[2] === undefined)
    return undefined;
  const peer = linkAttrs(rest, 3);
  if (!peer || !creatable(peer.attrs)) return undefined;
  const op: NlOp = { op: 'veth-add', name, attrs: own.attrs, peer: rest[2], peerAttrs: peer.attrs };
  const tail = rest.slice(peer.next);
  if (tail.length === 0) return op;
  if (tail.length !== 2 || tail[0] !== 'netns') return undefined;
  const target = tail[1] ?? '';
  const pid = int(target, 0x3fffff);
  if (pid !== undefined) return { ...op, peerNetns: { pid } };
  // A word without a slash is a name under /run/netns to iproute2: left to it.
  return target.startsWith('/') ? { ...op, peerNetns: { path: target } } : undefined;
}

/** The operation a line stands for, or undefined when it must go through `ip`. */
export function opOfLine(line: BatchLine): NlOp | undefined {
  const w = line.words;
  const word = (i: number): string => w[i] ?? '';
  const [object, verb] = w;
  if (object === 'link') return linkOp(w);
  if (object === 'addr') {
    if (verb === 'show')
      return w.length === 4 && w[2] === 'dev' && line.parse !== undefined
        ? { op: 'show-link', dev: word(3) }
        : undefined;
    const cidr = tryParseCidr(w[2] ?? '');
    if (cidr === undefined) return undefined;
    const rest = w.slice(3).join(' ');
    if (verb === 'del')
      return /^dev \S+$/.test(rest) ? { op: 'addr-del', dev: word(4), cidr } : undefined;
    if (verb !== 'add') return undefined;
    const m = /^(brd \+ )?dev (\S+)( nodad)?$/.exec(rest);
    if (!m) return undefined;
    return {
      op: 'addr-add',
      dev: m[2] ?? '',
      cidr,
      broadcast: m[1] !== undefined,
      nodad: m[3] !== undefined,
    };
  }
  if (object === 'route') {
    if (verb === 'show')
      return w.length === 4 && w[2] === 'table' && w[3] === 'all' && line.parse !== undefined
        ? { op: 'route-list' }
        : undefined;
    if (verb !== 'add' && verb !== 'prepend' && verb !== 'replace' && verb !== 'del')
      return undefined;
    const route = routeOf(w.slice(2));
    return route === undefined ? undefined : { op: 'route', verb, route };
  }
  return undefined;
}

/** The operations of every line, or undefined when any line must go through `ip`. */
export function opsOfLines(lines: readonly BatchLine[]): NlOp[] | undefined {
  const ops: NlOp[] = [];
  for (const line of lines) {
    let op: NlOp | undefined;
    try {
      op = opOfLine(line);
    } catch {
      op = undefined;
    }
    if (op === undefined) return undefined;
    ops.push(op);
  }
  return ops;
}
