/**
 * {@link IpBatch}: the write operations netops knows, each turned into one checked `ip -batch`
 * line (plus, where it has one, the line that undoes it).
 */
import { invalid } from '../errors.js';
import {
  cidrNetwork,
  formatCidr,
  formatIp,
  parseCidr,
  parseIp,
  type IpFamily,
} from '../ip-address.js';
import { assertIfName, assertNetnsPath, intWord, mtuWord, normalizeMac } from '../validate.js';
import { Batch } from './batch.js';
import { makeLine, type KindHints, type OpOptions } from './line.js';

/** A namespace an interface is moved or created into: an nsfs path, or a process living in it. */
export type NetnsTarget = string | { pid: number };

/** Options of {@link IpBatch.bridgeAdd}. */
export interface BridgeAddOptions extends OpOptions {
  mtu?: number;
  /** Ask for VLAN filtering (`vlan_filtering 1`); left out otherwise, so kernels without it work. */
  vlanFiltering?: boolean;
}

/** A veth pair for {@link IpBatch.vethAdd}. */
export interface VethSpec {
  /** The end created in the batch's namespace. */
  name: string;
  /** The other end. */
  peerName: string;
  /** Where the peer end is created (default: the batch's namespace). */
  peerNetns?: NetnsTarget;
  /** MTU of both ends (unless `peerMtu`). */
  mtu?: number;
  peerMtu?: number;
  /** MAC of the `name` end (default: random from the kernel). */
  mac?: string;
  peerMac?: string;
  /**
   * txqueuelen of both ends (unless `peerTxQueueLen`); default: the kernel's (1000). The Go
   * reference leaves 0 on both ends, which is what `txQueueLen: 0` gives.
   */
  txQueueLen?: number;
  peerTxQueueLen?: number;
}

/** Changes for {@link IpBatch.linkSet}; all applied by one line. */
export interface LinkChanges {
  up?: boolean;
  /** Enslave to this master; `null` releases it (`nomaster`). */
  master?: string | null;
  mtu?: number;
  mac?: string;
  promisc?: boolean;
  txQueueLen?: number;
  /** Move the link to another namespace. */
  netns?: NetnsTarget;
  /** Rename the link. */
  name?: string;
}

/** Bridge-port flags for {@link IpBatch.bridgePortSet}. */
export interface BridgePortFlags {
  /** Reflective relay: frames may leave by the port they came in. */
  hairpin?: boolean;
  /** Isolated ports cannot talk to each other, only to non-isolated ports. */
  isolated?: boolean;
}

/** Options of {@link IpBatch.addrAdd}. */
export interface AddrAddOptions extends OpOptions {
  /** IPv6 only: skip duplicate address detection. */
  nodad?: boolean;
}

/** Scope names iproute2 knows. */
export type RouteScope = 'global' | 'universe' | 'site' | 'link' | 'host' | 'nowhere';

/** A route for the route operations of {@link IpBatch}. */
export interface RouteSpec {
  /** Destination CIDR (host bits are cleared), or `default` (then `family` or `via` tells the family). */
  dst: string;
  family?: IpFamily;
  via?: string;
  dev?: string;
  /** Preferred source address. */
  src?: string;
  metric?: number;
  /** Table number or name; default main. */
  table?: number | 'main' | 'local' | 'default';
  scope?: RouteScope | number;
  mtu?: number;
  advmss?: number;
  /** Treat the gateway as directly reachable even without a matching prefix. */
  onlink?: boolean;
}

/** Deleting an absent address answers EADDRNOTAVAIL. */
const ADDR_DEL_HINTS: KindHints = [[/Cannot assign requested address/i, 'not-found']];

function netnsWord(target: NetnsTarget): string {
  if (typeof target === 'string') return assertNetnsPath(target);
  // A bare number is a PID to iproute2 only when no /run/netns entry has that name; a PID is
  // resolved in the caller's PID namespace, which nsenter --net does not change.
  return intWord(target.pid, 1, 0x3fffff, 'PID');
}

function onOff(v: boolean): string {
  return v ? 'on' : 'off';
}

function txqWord(q: number): string {
  return intWord(q, 0, 0xffffffff, 'txqueuelen');
}

function tableWord(t: RouteSpec['table']): string | undefined {
  if (t === undefined) return undefined;
  if (t === 'main' || t === 'local' || t === 'default') return t;
  return intWord(t, 1, 0xffffffff, 'route table');
}

const SCOPES: ReadonlySet<string> = new Set([
  'global',
  'universe',
  'site',
  'link',
  'host',
  'nowhere',
]);

function scopeWord(s: RouteSpec['scope']): string | undefined {
  if (s === undefined) return undefined;
  if (typeof s === 'number') return intWord(s, 0, 255, 'route scope');
  if (!SCOPES.has(s)) throw invalid(`invalid route scope ${JSON.stringify(s)}`);
  return s;
}

/** The canonical destination of a route and its family. */
function routeDst(spec: RouteSpec): { dst: string; family: IpFamily } {
  if (spec.dst === 'default') {
    const family = spec.family ?? (spec.via === undefined ? undefined : parseIp(spec.via).family);
    if (family === undefined) throw invalid('a default route needs `family` or `via`');
    // Written as a CIDR: "default" alone would be read as IPv4 in a batch without -6.
    return { dst: family === 4 ? '0.0.0.0/0' : '::/0', family };
  }
  // Host bits are cleared, as Go's ParseCIDR does for CNI routes (the kernel refuses them).
  const cidr = cidrNetwork(parseCidr(spec.dst));
  if (spec.family !== undefined && spec.family !== cidr.address.family)
    throw invalid(`route ${spec.dst} is not IPv${spec.family}`);
  return { dst: formatCidr(cidr), family: cidr.address.family };
}

/** The words that identify a route (enough to delete it). */
function routeKeyWords(spec: RouteSpec): string[] {
  const { dst, family } = routeDst(spec);
  const words = [dst];
  if (spec.via !== undefined) {
    const via = parseIp(spec.via);
    if (via.family !== family) throw invalid(`gateway ${spec.via} is not IPv${family}`);
    words.push('via', formatIp(via));
  }
  if (spec.dev !== undefined) words.push('dev', assertIfName(spec.dev));
  if (spec.metric !== undefined)
    words.push('metric', intWord(spec.metric, 0, 0xffffffff, 'metric'));
  const table = tableWord(spec.table);
  if (table !== undefined) words.push('table', table);
  return words;
}

function routeWords(spec: RouteSpec): string[] {
  const words = routeKeyWords(spec);
  const { family } = routeDst(spec);
  if (spec.src !== undefined) {
    const src = parseIp(spec.src);
    if (src.family !== family) throw invalid(`source ${spec.src} is not IPv${family}`);
    words.push('src', formatIp(src));
  }
  const scope = scopeWord(spec.scope);
  if (scope !== undefined) words.push('scope', scope);
  if (spec.mtu !== undefined) words.push('mtu', mtuWord(spec.mtu));
  if (spec.advmss !== undefined) words.push('advmss', intWord(spec.advmss, 1, 65535, 'advmss'));
  if (spec.onlink) words.push('onlink');
  return words;
}

/**
 * A batch for `ip -batch -`: links, addresses, routes, bridge-port flags, and reads
 * (`batch.query(showLink(...))`). Methods check every name and value and throw a NetopsError of
 * kind `invalid` at once; they return the batch, so calls chain.
 */
export class IpBatch extends Batch {
  readonly tool = 'ip' as const;

  /**
   * Creates a bridge. Tolerates "exists" unless `tolerate` says otherwise (a concurrent ADD may
   * have made it; read it back to check it is a bridge). No undo unless `undo: true`: bridges are
   * shared by every container on them.
   */
  bridgeAdd(name: string, opts: BridgeAddOptions = {}): this {
    const words = ['link', 'add', 'name', assertIfName(name, 'bridge name')];
    if (opts.mtu !== undefined) words.push('mtu', mtuWord(opts.mtu));
    words.push('type', 'bridge');
    if (opts.vlanFiltering) words.push('vlan_filtering', '1');
    return this.add(
      makeLine(words, {
        tolerate: opts.tolerate ?? ['exists'],
        undo: opts.undo === true ? linkDelLine(name) : undefined,
      }),
    );
  }

  /** Creates a veth pair; its undo deletes it (deleting one end deletes both). */
  vethAdd(spec: VethSpec, opts: OpOptions = {}): this {
    const words = ['link', 'add', 'name', assertIfName(spec.name)];
    if (spec.mac !== undefined) words.push('address', normalizeMac(spec.mac));
    if (spec.mtu !== undefined) words.push('mtu', mtuWord(spec.mtu));
    if (spec.txQueueLen !== undefined) words.push('txqueuelen', txqWord(spec.txQueueLen));
    words.push('type', 'veth', 'peer', 'name', assertIfName(spec.peerName, 'peer name'));
    if (spec.peerMac !== undefined) words.push('address', normalizeMac(spec.peerMac));
    const peerMtu = spec.peerMtu ?? spec.mtu;
    if (peerMtu !== undefined) words.push('mtu', mtuWord(peerMtu));
    const peerQ = spec.peerTxQueueLen ?? spec.txQueueLen;
    if (peerQ !== undefined) words.push('txqueuelen', txqWord(peerQ));
    if (spec.peerNetns !== undefined) words.push('netns', netnsWord(spec.peerNetns));
    return this.add(
      makeLine(words, {
        tolerate: opts.tolerate,
        undo: opts.undo === false ? undefined : linkDelLine(spec.name),
      }),
    );
  }

  /** Changes a link in one line (`ip link set dev NAME ...`). No undo: the old state is unknown. */
  linkSet(name: string, changes: LinkChanges, opts: OpOptions = {}): this {
    const words = ['link', 'set', 'dev', assertIfName(name)];
    if (changes.name !== undefined) words.push('name', assertIfName(changes.name, 'new name'));
    if (changes.mac !== undefined) words.push('address', normalizeMac(changes.mac));
    if (changes.mtu !== undefined) words.push('mtu', mtuWord(changes.mtu));
    if (changes.txQueueLen !== undefined) words.push('txqueuelen', txqWord(changes.txQueueLen));
    if (changes.promisc !== undefined) words.push('promisc', onOff(changes.promisc));
    if (changes.master === null) words.push('nomaster');
    else if (changes.master !== undefined)
      words.push('master', assertIfName(changes.master, 'master'));
    if (changes.netns !== undefined) words.push('netns', netnsWord(changes.netns));
    if (changes.up !== undefined) words.push(changes.up ? 'up' : 'down');
    if (words.length === 4) throw invalid(`linkSet ${name}: nothing to change`);
    return this.add(makeLine(words, { tolerate: opts.tolerate }));
  }

  /**
   * Sets bridge-port flags on an enslaved link (`ip link set dev NAME type bridge_slave hairpin on
   * isolated off`): the same as `bridge link set`, but inside the ip batch, so no extra process.
   * Must come after the line that sets the master.
   */
  bridgePortSet(name: string, flags: BridgePortFlags, opts: OpOptions = {}): this {
    const words = ['link', 'set', 'dev', assertIfName(name), 'type', 'bridge_slave'];
    if (flags.hairpin !== undefined) words.push('hairpin', onOff(flags.hairpin));
    if (flags.isolated !== undefined) words.push('isolated', onOff(flags.isolated));
    if (words.length === 6) throw invalid(`bridgePortSet ${name}: nothing to change`);
    return this.add(makeLine(words, { tolerate: opts.tolerate }));
  }

  /** Deletes a link (a veth with its peer). Pass `tolerate: ['not-found']` for idempotent deletes. */
  linkDel(name: string, opts: OpOptions = {}): this {
    return this.add(makeLine(linkDelLine(name).words, { tolerate: opts.tolerate }));
  }

  /** Adds an address (`ADDRESS/PREFIX`, host bits kept); its undo deletes it. */
  addrAdd(dev: string, cidr: string, opts: AddrAddOptions = {}): this {
    const c = parseCidr(cidr);
    const text = formatCidr(c);
    const words = ['addr', 'add', text, 'dev', assertIfName(dev)];
    if (opts.nodad) {
      if (c.address.family !== 6) throw invalid(`nodad is for IPv6 addresses, not ${text}`);
      words.push('nodad');
    }
    return this.add(
      makeLine(words, {
        tolerate: opts.tolerate,
        undo: opts.undo === false ? undefined : addrDelLine(dev, text, ['not-found']),
      }),
    );
  }

  /** Deletes an address; an absent one fails with kind `not-found`. */
  addrDel(dev: string, cidr: string, opts: OpOptions = {}): this {
    return this.add(addrDelLine(dev, formatCidr(parseCidr(cidr)), opts.tolerate ?? []));
  }

  /** Adds a route; fails with `exists` when the same route is there. Its undo deletes it. */
  routeAdd(route: RouteSpec, opts: OpOptions = {}): this {
    return this.routeLine('add', route, opts);
  }

  /**
   * Adds a route even when one to the same destination exists (`ip route prepend`: netlink
   * create without exclusive), so several routes to one prefix coexist (ECMP in the reference's
   * sense). Its undo deletes it.
   */
  routePrepend(route: RouteSpec, opts: OpOptions = {}): this {
    return this.routeLine('prepend', route, opts);
  }

  /** Adds or replaces a route. No undo (what it replaced is unknown). */
  routeReplace(route: RouteSpec, opts: OpOptions = {}): this {
    return this.add(
      makeLine(['route', 'replace', ...routeWords(route)], { tolerate: opts.tolerate }),
    );
  }

  /** Deletes a route, matched by destination, gateway, dev, metric and table. */
  routeDel(route: RouteSpec, opts: OpOptions = {}): this {
    return this.add(
      makeLine(['route', 'del', ...routeKeyWords(route)], { tolerate: opts.tolerate }),
    );
  }

  private routeLine(verb: 'add' | 'prepend', route: RouteSpec, opts: OpOptions): this {
    const undo =
      opts.undo === false
        ? undefined
        : makeLine(['route', 'del', ...routeKeyWords(route)], { tolerate: ['not-found'] });
    return this.add(
      makeLine(['route', verb, ...routeWords(route)], { tolerate: opts.tolerate, undo }),
    );
  }
}

function linkDelLine(name: string) {
  return makeLine(['link', 'del', 'dev', assertIfName(name)], { tolerate: ['not-found'] });
}

function addrDelLine(dev: string, cidrText: string, tolerate: OpOptions['tolerate']) {
  return makeLine(['addr', 'del', cidrText, 'dev', assertIfName(dev)], {
    tolerate,
    hints: ADDR_DEL_HINTS,
  });
}
