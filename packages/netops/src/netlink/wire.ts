/**
 * The rtnetlink wire format (linux/netlink.h, linux/rtnetlink.h): building a request of header,
 * fixed struct and attributes, and reading the messages and attributes of a reply. Little-endian
 * hosts only (x86_64, aarch64), as the executable that sends them.
 */
import type { IpAddress, IpFamily } from '../ip-address.js';

export const NLMSG_HDRLEN = 16;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP = 0x300;
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;

export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

const align4 = (n: number): number => (n + 3) & ~3;

/** A request under construction: header, one fixed struct, then attributes (nested ones too). */
export class NlRequest {
  private bytes = new Uint8Array(256);
  private length = NLMSG_HDRLEN;
  private readonly open: number[] = [];

  constructor(
    readonly type: number,
    readonly flags: number,
  ) {}

  private reserve(n: number): number {
    const at = this.length;
    const need = align4(at + n);
    if (need > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(need, this.bytes.length * 2));
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    this.length = need;
    return at;
  }

  private view(): DataView {
    return new DataView(this.bytes.buffer);
  }

  /** The fixed struct after the header (ifinfomsg, ifaddrmsg, rtmsg), written by `fill`. */
  struct(size: number, fill: (view: DataView, at: number) => void): this {
    const at = this.reserve(size);
    fill(this.view(), at);
    return this;
  }

  attr(type: number, payload: Uint8Array): this {
    const at = this.reserve(4 + payload.length);
    const view = this.view();
    view.setUint16(at, 4 + payload.length, true);
    view.setUint16(at + 2, type, true);
    this.bytes.set(payload, at + 4);
    return this;
  }

  u8(type: number, value: number): this {
    return this.attr(type, Uint8Array.of(value));
  }

  u32(type: number, value: number): this {
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setUint32(0, value, true);
    return this.attr(type, payload);
  }

  /** A NUL-terminated string attribute. */
  str(type: number, value: string): this {
    const text = new TextEncoder().encode(value);
    const payload = new Uint8Array(text.length + 1);
    payload.set(text);
    return this.attr(type, payload);
  }

  /** A nested attribute holding what `fill` adds. */
  nest(type: number, fill: (req: this) => void): this {
    const at = this.reserve(4);
    this.view().setUint16(at + 2, type, true);
    this.open.push(at);
    fill(this);
    this.open.pop();
    this.view().setUint16(at, this.length - at, true);
    return this;
  }

  /** The finished message with sequence number `seq`. */
  build(seq: number): Uint8Array {
    const out = this.bytes.slice(0, this.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.length, true);
    view.setUint16(4, this.type, true);
    view.setUint16(6, this.flags, true);
    view.setUint32(8, seq, true);
    return out;
  }
}

/** One message of a reply. */
export interface NlMessage {
  type: number;
  flags: number;
  seq: number;
  /** Everything after the header. */
  payload: Uint8Array;
}

/**
 * The messages of one datagram.
 * @throws RangeError on a truncated message.
 */
export function parseMessages(datagram: Uint8Array): NlMessage[] {
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const out: NlMessage[] = [];
  for (let at = 0; at + NLMSG_HDRLEN <= datagram.length;) {
    const len = view.getUint32(at, true);
    if (len < NLMSG_HDRLEN || at + len > datagram.length)
      throw new RangeError('truncated netlink message');
    out.push({
      type: view.getUint16(at + 4, true),
      flags: view.getUint16(at + 6, true),
      seq: view.getUint32(at + 8, true),
      payload: datagram.subarray(at + NLMSG_HDRLEN, at + len),
    });
    at += align4(len);
  }
  return out;
}

/** The errno of an NLMSG_ERROR payload (0 for an acknowledgement). */
export function errorOf(payload: Uint8Array): number {
  if (payload.length < 4) throw new RangeError('truncated netlink error');
  return -new DataView(payload.buffer, payload.byteOffset, 4).getInt32(0, true);
}

/** Attributes by type (the nested and byte-order flag bits masked off); the first of each wins. */
export function parseAttrs(bytes: Uint8Array, from = 0): Map<number, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<number, Uint8Array>();
  for (let at = from; at + 4 <= bytes.length;) {
    const len = view.getUint16(at, true);
    if (len < 4 || at + len > bytes.length) break;
    const type = view.getUint16(at + 2, true) & 0x3fff;
    if (!out.has(type)) out.set(type, bytes.subarray(at + 4, at + len));
    at += align4(len);
  }
  return out;
}

export const readU8 = (b: Uint8Array | undefined): number | undefined => b?.[0];

export function readU32(b: Uint8Array | undefined): number | undefined {
  if (b === undefined || b.length < 4) return undefined;
  return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
}

export function readStr(b: Uint8Array | undefined): string | undefined {
  if (b === undefined) return undefined;
  const end = b.indexOf(0);
  return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
}

/** An address attribute's bytes (4 for IPv4, 16 for IPv6, network order); undefined otherwise. */
export function readIp(family: IpFamily, b: Uint8Array | undefined): IpAddress | undefined {
  if (b === undefined || b.length !== (family === 4 ? 4 : 16)) return undefined;
  let value = 0n;
  for (const byte of b) value = (value << 8n) | BigInt(byte);
  return { family, value };
}
