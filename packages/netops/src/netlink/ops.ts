/**
 * Which batch lines can go over netlink instead of through `ip`: the lines netops itself writes
 * for deleting a link, setting it up or down or its MAC, adding and deleting addresses and routes,
 * and reading a link with its addresses. A line is read back into an operation by its exact grammar;
 * anything else (and any word not understood) makes the whole batch go to `ip`.
 */
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

/** One operation of a batch, for the netlink executor. */
export type NlOp =
  | { op: 'link-del'; dev: string }
  | { op: 'link-set'; dev: string; up?: boolean; mac?: Uint8Array }
  | { op: 'addr-add'; dev: string; cidr: IpCidr; broadcast: boolean; nodad: boolean }
  | { op: 'addr-del'; dev: string; cidr: IpCidr }
  | { op: 'route'; verb: 'add' | 'prepend' | 'replace' | 'del'; route: NlRoute }
  | { op: 'show-link'; dev: string };

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

/** The operation a line stands for, or undefined when it must go through `ip`. */
export function opOfLine(line: BatchLine): NlOp | undefined {
  const w = line.words;
  const word = (i: number): string => w[i] ?? '';
  const [object, verb] = w;
  if (object === 'link') {
    if (verb === 'del' && w.length === 4 && w[2] === 'dev') return { op: 'link-del', dev: word(3) };
    if (verb !== 'set' || w[2] !== 'dev') return undefined;
    // `link set dev NAME [address MAC] [up|down]`: the changes netops writes this way.
    const m = /^(?:address ([0-9a-f]{2}(?::[0-9a-f]{2}){5}) ?)?(up|down)?$/.exec(
      w.slice(4).join(' '),
    );
    if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
    return {
      op: 'link-set',
      dev: word(3),
      ...(m[2] === undefined ? {} : { up: m[2] === 'up' }),
      ...(m[1] === undefined
        ? {}
        : { mac: Uint8Array.from(m[1].split(':'), (h) => parseInt(h, 16)) }),
    };
  }
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
