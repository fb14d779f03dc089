/**
 * Runs a batch's lines over one netlink connection, in order, with the outcomes `ip -batch` would
 * give them: the same statuses, messages in iproute2's words (`RTNETLINK answers: File exists`,
 * `Cannot find device "eth0"`), the same tolerated kinds, and read lines answered with the JSON
 * `ip -details -json` prints. No process is started.
 */
import { classifyMessage, errnoKind } from '../classify.js';
import type { NetopsErrorKind } from '../errors.js';
import { lineText, type BatchLine, type LineOutcome } from '../batch/line.js';
import type { NetlinkConnection } from '../runner.js';
import { addrJson, linkJson, linkName, masterIndex, rawLink, type RawLink } from './link-json.js';
import type { NlOp } from './ops.js';
import { routeJson } from './route-json.js';
import {
  addAddr,
  delAddr,
  delLink,
  dumpAddrs,
  dumpRoutes,
  getLinkByIndex,
  getLinkByName,
  routeRequest,
  addBridge,
  addVeth,
  setBridgePort,
  setLink,
} from './requests.js';
import { ENODEV, rtnetlinkAnswer } from './strerror.js';
import { NLMSG_DONE, NLMSG_ERROR, errorOf, parseMessages, type NlRequest } from './wire.js';

/** A line that failed, with iproute2's message for it. */
class LineFailure extends Error {
  constructor(
    message: string,
    /** The kernel's errno, when the kernel refused the request. */
    readonly errno?: number,
  ) {
    super(message);
  }
}

/** What {@link runOverNetlink} found out. */
export interface NetlinkRun {
  outcomes: LineOutcome[];
  /** The value of each read line that ran, by line index. */
  values: Map<number, unknown>;
  /**
   * The socket failed (not a refused request): the line then running is `unknown`, the later
   * ones `skipped`.
   */
  broken?: Error;
}

class Session {
  private seq = 0;
  private readonly indexes = new Map<string, number>();

  constructor(private readonly conn: NetlinkConnection) {}

  /** The messages answering `req` (a dump's, or the one link asked for); throws on an error. */
  private ask(req: NlRequest): Uint8Array[] {
    const seq = ++this.seq;
    const payloads: Uint8Array[] = [];
    for (const datagram of this.conn.exchange(req.build(seq)))
      for (const m of parseMessages(datagram)) {
        if (m.seq !== seq) continue;
        if (m.type === NLMSG_ERROR) {
          const errno = errorOf(m.payload);
          if (errno !== 0) throw new LineFailure(rtnetlinkAnswer(errno), errno);
        } else if (m.type !== NLMSG_DONE) payloads.push(m.payload);
      }
    return payloads;
  }

  /** The link `name`, or undefined when there is none. */
  link(name: string): RawLink | undefined {
    try {
      const [payload] = this.ask(getLinkByName(name));
      if (payload === undefined) return undefined;
      const link = rawLink(payload);
      this.indexes.set(name, link.index);
      return link;
    } catch (err) {
      if (err instanceof LineFailure && err.errno === ENODEV) return undefined;
      throw err;
    }
  }

  /** The index of `name`, as `ip` resolves `dev NAME` before sending. */
  index(name: string): number {
    const known = this.indexes.get(name);
    if (known !== undefined) return known;
    const link = this.link(name);
    if (link === undefined) throw new LineFailure(`Cannot find device "${name}"`);
    return link.index;
  }

  /** Sends a change; resolves on its acknowledgement. */
  change(req: NlRequest): void {
    this.ask(req);
  }

  /** `addr show dev NAME`: the JSON array iproute2 prints, or undefined for a missing link. */
  show(dev: string): unknown[] | undefined {
    const link = this.link(dev);
    if (link === undefined) return undefined;
    const master = masterIndex(link);
    const masterLink =
      master === undefined ? undefined : this.ask(getLinkByIndex(master)).map(rawLink)[0];
    const addresses: Record<string, unknown>[] = [];
    for (const payload of this.ask(dumpAddrs(link.index))) {
      const addr = addrJson(payload, link.index);
      if (addr !== undefined) addresses.push(addr);
    }
    return [linkJson(link, masterLink && linkName(masterLink), addresses)];
  }

  /** `route show table all`: the JSON array iproute2 prints (interface indexes named). */
  routes(): unknown[] {
    const names = new Map<number, string | undefined>();
    const nameOf = (index: number): string | undefined => {
      if (index === 0) return undefined;
      if (!names.has(index)) {
        try {
          const [payload] = this.ask(getLinkByIndex(index));
          names.set(index, payload === undefined ? undefined : linkName(rawLink(payload)));
        } catch (err) {
          // Gone since the dump: printed without a device, as iproute2 would not find it either.
          if (!(err instanceof LineFailure && err.errno === ENODEV)) throw err;
          names.set(index, undefined);
        }
      }
      return names.get(index);
    };
    const out: unknown[] = [];
    for (const payload of this.ask(dumpRoutes())) {
      const route = routeJson(payload, nameOf);
      if (route !== undefined) out.push(route);
    }
    return out;
  }

  /** A descriptor of the namespace file `path` (iproute2's words when it cannot be opened). */
  netnsFd(path: string): number {
    try {
      const fd = this.conn.openNetns?.(path);
      if (fd !== undefined) return fd;
    } catch {
      // Reported as iproute2 does below.
    }
    throw new LineFailure(`Error: argument "${path}" is wrong: Invalid "netns" value`);
  }

  forget(name: string): void {
    this.indexes.delete(name);
  }
}

function runOp(s: Session, op: NlOp): unknown[] | undefined {
  switch (op.op) {
    case 'link-del':
      s.change(delLink(s.index(op.dev)));
      s.forget(op.dev);
      return undefined;
    case 'link-set': {
      const { master } = op.attrs;
      const masterIndex = master === undefined ? undefined : master === null ? 0 : s.index(master);
      s.change(setLink(s.index(op.dev), op.attrs, masterIndex));
      return undefined;
    }
    case 'bridge-add':
      s.change(addBridge(op.name, op.attrs, op.vlanFiltering));
      return undefined;
    case 'veth-add': {
      const ns = op.peerNetns;
      const netns = ns === undefined ? undefined : 'pid' in ns ? ns : { fd: s.netnsFd(ns.path) };
      s.change(addVeth(op.name, op.attrs, op.peer, op.peerAttrs, netns));
      return undefined;
    }
    case 'bridge-port':
      s.change(setBridgePort(s.index(op.dev), op));
      return undefined;
    case 'addr-add':
      s.change(addAddr(op.cidr, s.index(op.dev), op));
      return undefined;
    case 'addr-del':
      s.change(delAddr(op.cidr, s.index(op.dev)));
      return undefined;
    case 'route':
      s.change(
        routeRequest(
          op.verb,
          op.route,
          op.route.dev === undefined ? undefined : s.index(op.route.dev),
        ),
      );
      return undefined;
    case 'route-list':
      return s.routes();
    case 'show-link': {
      const shown = s.show(op.dev);
      if (shown === undefined) throw new LineFailure(`Device "${op.dev}" does not exist.`);
      return shown;
    }
  }
}

/** True when the operations need the connection to open namespace files. */
export function needsNetnsFiles(ops: readonly NlOp[]): boolean {
  return ops.some((o) => o.op === 'veth-add' && o.peerNetns !== undefined && 'path' in o.peerNetns);
}

/**
 * Runs `ops` (one per line of `lines`) in order. With `stop`, the lines after the first failure
 * that is not tolerated are skipped; with `continue`, every line runs.
 */
export function runOverNetlink(
  conn: NetlinkConnection,
  lines: readonly BatchLine[],
  ops: readonly NlOp[],
  mode: 'stop' | 'continue',
  tolerateAll: readonly NetopsErrorKind[],
): NetlinkRun {
  const session = new Session(conn);
  const outcomes: LineOutcome[] = [];
  const values = new Map<number, unknown>();
  let stopped = false;
  for (const [i, line] of lines.entries()) {
    const op = ops[i];
    const text = lineText(line);
    if (stopped || op === undefined) {
      outcomes.push({ line: i + 1, text, status: 'skipped' });
      continue;
    }
    try {
      const doc = runOp(session, op);
      outcomes.push({ line: i + 1, text, status: 'ok' });
      if (line.parse && doc !== undefined) values.set(i, line.parse(doc));
    } catch (err) {
      if (!(err instanceof LineFailure)) {
        outcomes.push({ line: i + 1, text, status: 'unknown' });
        for (const [j, later] of lines.entries())
          if (j > i) outcomes.push({ line: j + 1, text: lineText(later), status: 'skipped' });
        return { outcomes, values, broken: err instanceof Error ? err : new Error(String(err)) };
      }
      // A line's hints are about the text; without them the errno says the same, sooner.
      const kind =
        err.errno !== undefined && line.hints.length === 0
          ? errnoKind(err.errno)
          : classifyMessage(err.message, line.hints);
      if (line.tolerate.includes(kind) || tolerateAll.includes(kind)) {
        outcomes.push({ line: i + 1, text, status: 'tolerated', kind, message: err.message });
        if (line.ifMissing) values.set(i, line.ifMissing());
      } else {
        outcomes.push({ line: i + 1, text, status: 'failed', kind, message: err.message });
        if (mode === 'stop') stopped = true;
      }
    }
  }
  return { outcomes, values };
}
