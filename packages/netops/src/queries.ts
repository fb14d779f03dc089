/**
 * Reads, as values a batch can carry: each query is one `show` line plus the parser of the JSON
 * document iproute2 prints for it. Give several to {@link queryBatch} to read them in one process,
 * or add them to a write batch with `batch.query(...)`.
 *
 * Links are always read with `addr show`, never `link show`: in an iproute2 6.1 batch, a
 * `link show` leaves global state behind that makes every later `addr show` of the same process
 * print links without their addresses. `addr show` prints every link field plus the addresses.
 */
import type { BatchTool } from './batch/line.js';
import { invalid } from './errors.js';
import type { IpFamily } from './ip-address.js';
import type { AddrInfo } from './parse/addr.js';
import { parseLinks, type LinkInfo } from './parse/link.js';
import { parseRoutes, type RouteInfo } from './parse/route.js';
import { parseVlans, type PortVlans } from './parse/vlan.js';
import { assertIfName, intWord } from './validate.js';

/** A read: the words of one `show` line and the parser of its JSON. */
export interface Query<T> {
  readonly tool: BatchTool;
  readonly words: readonly string[];
  readonly parse: (json: unknown) => T;
  /** The value when the object read is missing; without it, "not found" is an error. */
  readonly ifMissing?: (() => T) | undefined;
}

/** The link named `name`, or undefined when there is none. */
export function showLink(name: string): Query<LinkInfo | undefined> {
  return {
    tool: 'ip',
    words: ['addr', 'show', 'dev', assertIfName(name)],
    parse: (json) => parseLinks(json)[0],
    ifMissing: () => undefined,
  };
}

/** Filters of {@link listLinks}. */
export interface LinkFilter {
  /** Link kind, e.g. `bridge`, `veth`. */
  type?: string;
  /** Only ports of this master. */
  master?: string;
}

/** All links (optionally of one kind or one master). */
export function listLinks(filter: LinkFilter = {}): Query<LinkInfo[]> {
  const words = ['addr', 'show'];
  if (filter.master !== undefined) words.push('master', assertIfName(filter.master, 'master'));
  if (filter.type !== undefined) {
    if (!/^[a-z0-9_]{1,32}$/.test(filter.type))
      throw invalid(`invalid link type ${JSON.stringify(filter.type)}`);
    words.push('type', filter.type);
  }
  return { tool: 'ip', words, parse: parseLinks };
}

/** Filters of {@link listAddrs}. */
export interface AddrFilter {
  family?: IpFamily;
  /** e.g. `global` to leave out link-local addresses. */
  scope?: string;
}

/** The addresses of link `dev` (optionally of one family / scope); the link must exist. */
export function listAddrs(dev: string, filter: AddrFilter = {}): Query<AddrInfo[]> {
  return {
    tool: 'ip',
    words: ['addr', 'show', 'dev', assertIfName(dev)],
    parse: (json) =>
      (parseLinks(json)[0]?.addresses ?? []).filter(
        (a) =>
          (filter.family === undefined || a.family === filter.family) &&
          (filter.scope === undefined || a.scope === filter.scope),
      ),
  };
}

/** Filters of {@link listRoutes}. */
export interface RouteFilter {
  family?: IpFamily;
  /** `main` (default), `local`, a table number, or `all`. */
  table?: 'main' | 'local' | 'all' | number;
  dev?: string;
}

/**
 * Routes of both families. A batch line cannot carry `-6`, so this reads `route show table all`
 * (both families, all tables) and filters by family and table here.
 */
export function listRoutes(filter: RouteFilter = {}): Query<RouteInfo[]> {
  const table =
    typeof filter.table === 'number'
      ? intWord(filter.table, 1, 0xffffffff, 'route table')
      : (filter.table ?? 'main');
  const words = ['route', 'show', 'table', 'all'];
  if (filter.dev !== undefined) words.push('dev', assertIfName(filter.dev));
  return {
    tool: 'ip',
    words,
    parse: (json) =>
      parseRoutes(json).filter(
        (r) =>
          (filter.family === undefined || r.family === filter.family) &&
          (table === 'all' || r.table === table),
      ),
  };
}

/** The VLAN entries of bridge port `dev` (or of every port), read with `bridge -json vlan show`. */
export function showVlans(dev?: string): Query<PortVlans[]> {
  const words = ['vlan', 'show'];
  if (dev !== undefined) words.push('dev', assertIfName(dev));
  return { tool: 'bridge', words, parse: parseVlans };
}
