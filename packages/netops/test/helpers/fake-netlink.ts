/**
 * A scripted rtnetlink kernel behind a {@link NetlinkConnection}: it decodes the requests the
 * netlink executor sends, keeps a few links and addresses, and answers as the kernel does
 * (acknowledgements, errnos, RTM_NEWLINK and RTM_NEWADDR messages, NLMSG_DONE).
 */
import type { NetlinkConnection } from '../../src/runner.js';
import type { DatagramSocket } from '../../src/netlink/connection.js';
import { NlRequest, parseAttrs, parseMessages } from '../../src/netlink/wire.js';

export interface FakeLink {
  index: number;
  name: string;
  flags: number;
  mtu: number;
  operstate: number;
  mac: number[];
  kind?: string;
  master?: number;
}

export interface FakeAddr {
  index: number;
  family: 2 | 10;
  prefixLength: number;
  bytes: number[];
  flags: number;
}

/** One request as the fake kernel read it. */
export interface SeenRequest {
  type: number;
  flags: number;
  /** The fixed struct after the header. */
  body: Uint8Array;
  attrs: Map<number, Uint8Array>;
}

const STRUCT_SIZE: Record<number, number> = {
  16: 16,
  17: 16,
  18: 16,
  20: 8,
  21: 8,
  22: 8,
  24: 12,
  25: 12,
};

export class FakeKernel {
  readonly seen: SeenRequest[] = [];
  readonly links = new Map<string, FakeLink>();
  readonly addrs: FakeAddr[] = [];
  /** Errno to answer for requests of a type (and, optionally, for one link index only). */
  readonly failures: Array<{ type: number; errno: number; index?: number }> = [];
  closed = 0;
  /** Make the next exchange throw, as a broken socket would. */
  breakAt: number | undefined;

  addLink(link: Omit<FakeLink, 'index'> & { index?: number }): FakeLink {
    const full = { index: link.index ?? this.links.size + 1, ...link };
    this.links.set(full.name, full);
    return full;
  }

  private byIndex(index: number): FakeLink | undefined {
    return [...this.links.values()].find((l) => l.index === index);
  }

  connection(): NetlinkConnection {
    return {
      exchange: (request) => {
        if (this.breakAt !== undefined && this.seen.length >= this.breakAt)
          throw new Error('socket broke');
        return this.answer(request);
      },
      close: () => {
        this.closed += 1;
      },
    };
  }

  /**
   * A raw socket on this kernel, for netlinkConnection: every send is answered at once; with
   * `background`, sendInBackground records when it was called and when its wait was (in `events`).
   */
  datagramSocket(background: boolean, events: string[] = []): DatagramSocket {
    const queue: Uint8Array[] = [];
    const send = (data: Uint8Array) => {
      queue.push(...this.answer(data));
    };
    return {
      send: (data) => {
        events.push('send');
        send(data);
      },
      receive: () => queue.shift(),
      ...(background
        ? {
            sendInBackground: (data: Uint8Array) => {
              events.push('submitted');
              send(data);
              return () => {
                events.push('waited');
              };
            },
          }
        : {}),
      close: () => {
        this.closed += 1;
      },
    };
  }

  private answer(request: Uint8Array): Uint8Array[] {
    const [m] = parseMessages(request);
    if (m === undefined) throw new Error('empty request');
    const size = STRUCT_SIZE[m.type] ?? 0;
    const body = m.payload.subarray(0, size);
    const attrs = parseAttrs(m.payload, size);
    this.seen.push({ type: m.type, flags: m.flags, body, attrs });
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const ack = (errno: number) => {
      const payload = new Uint8Array(20);
      new DataView(payload.buffer).setInt32(0, -errno, true);
      return [reply(2, 0, m.seq, payload)];
    };
    const index = m.type === 20 || m.type === 21 ? view.getUint32(4, true) : view.getInt32(4, true);
    const failure = this.failures.find(
      (f) => f.type === m.type && (f.index === undefined || f.index === index),
    );
    if (failure) return ack(failure.errno);
    switch (m.type) {
      case 18: {
        const nameBytes = attrs.get(3);
        const name = nameBytes && new TextDecoder().decode(nameBytes).replace(/\0.*$/s, '');
        const link = name ? this.links.get(name) : this.byIndex(index);
        return link ? [reply(16, 0, m.seq, linkPayload(link))] : ack(19);
      }
      case 17: {
        const named = attrs.get(3);
        const link =
          index === 0 && named
            ? this.links.get(new TextDecoder().decode(named).replace(/\0.*$/s, ''))
            : this.byIndex(index);
        if (!link) return ack(19);
        this.links.delete(link.name);
        return ack(0);
      }
      case 16: {
        const created = attrs.get(3);
        if (index === 0 && created) {
          const name = new TextDecoder().decode(created).replace(/\0.*$/s, '');
          if (this.links.has(name)) return ack(17);
          this.addLink({ name, flags: 0, mtu: 1500, operstate: 2, mac: [2, 0, 0, 0, 0, 0x99] });
          return ack(0);
        }
        const link = this.byIndex(index);
        if (!link) return ack(19);
        const change = view.getUint32(12, true);
        link.flags = (link.flags & ~change) | (view.getUint32(8, true) & change);
        const mac = attrs.get(1);
        if (mac) link.mac = [...mac];
        return ack(0);
      }
      case 20: {
        const local = [...(attrs.get(2) ?? [])];
        const family = body[0] as 2 | 10;
        if (this.addrs.some((a) => a.index === index && a.bytes.join() === local.join()))
          return ack(17);
        this.addrs.push({
          index,
          family,
          prefixLength: body[1] ?? 0,
          bytes: local,
          flags: body[2] ?? 0,
        });
        return ack(0);
      }
      case 22: {
        const out = this.addrs.map((a) => reply(20, 2, m.seq, addrPayload(a)));
        return [...out, reply(3, 2, m.seq, new Uint8Array(4))];
      }
      default:
        return ack(0);
    }
  }
}

function reply(type: number, flags: number, seq: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, out.length, true);
  view.setUint16(4, type, true);
  view.setUint16(6, flags, true);
  view.setUint32(8, seq, true);
  out.set(payload, 16);
  return out;
}

function linkPayload(link: FakeLink): Uint8Array {
  const req = new NlRequest(0, 0)
    .struct(16, (view, at) => {
      view.setInt32(at + 4, link.index, true);
      view.setUint32(at + 8, link.flags, true);
    })
    .str(3, link.name)
    .u32(4, link.mtu)
    .u8(16, link.operstate)
    .attr(1, Uint8Array.from(link.mac));
  if (link.master !== undefined) req.u32(10, link.master);
  if (link.kind !== undefined) req.nest(18, (r) => r.str(1, link.kind ?? ''));
  return req.build(0).subarray(16);
}

function addrPayload(a: FakeAddr): Uint8Array {
  return new NlRequest(0, 0)
    .struct(8, (view, at) => {
      view.setUint8(at, a.family);
      view.setUint8(at + 1, a.prefixLength);
      view.setUint8(at + 2, a.flags);
      view.setUint32(at + 4, a.index, true);
    })
    .attr(1, Uint8Array.from(a.bytes))
    .build(0)
    .subarray(16);
}
