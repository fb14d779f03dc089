/** The RTM_GETLINK request and its reply, byte for byte (layouts of linux/rtnetlink.h). */
import { describe, expect, it } from 'vitest';
import { getLinkRequest, parseLinkReply } from '../../src/runtime/netlink-link.js';

/** A netlink message: header (len, type, flags, seq, pid) then payload, padded to 4. */
function message(type: number, seq: number, payload: Uint8Array): Uint8Array {
  const len = 16 + payload.length;
  const out = new Uint8Array((len + 3) & ~3);
  const view = new DataView(out.buffer);
  view.setUint32(0, len, true);
  view.setUint16(4, type, true);
  view.setUint32(8, seq, true);
  out.set(payload, 16);
  return out;
}

function attr(type: number, data: Uint8Array): Uint8Array {
  const len = 4 + data.length;
  const out = new Uint8Array((len + 3) & ~3);
  const view = new DataView(out.buffer);
  view.setUint16(0, len, true);
  view.setUint16(2, type, true);
  out.set(data, 4);
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

function newLink(seq: number, ifindex: number, name: string, operstate: number, mac: number[]) {
  const ifinfo = new Uint8Array(16);
  new DataView(ifinfo.buffer).setInt32(4, ifindex, true);
  return message(
    16,
    seq,
    concat(
      ifinfo,
      attr(3, new TextEncoder().encode(`${name}\0`)),
      attr(4, new Uint8Array([0xdc, 0x05, 0, 0])),
      attr(16, new Uint8Array([operstate])),
      attr(1, new Uint8Array(mac)),
    ),
  );
}

describe('getLinkRequest', () => {
  it('asks RTM_GETLINK by name (IFLA_IFNAME), as a request, with the sequence number', () => {
    const bytes = getLinkRequest('veth1', 7);
    const view = new DataView(bytes.buffer);
    expect(bytes.length).toBe(16 + 16 + 12);
    expect(view.getUint32(0, true)).toBe(bytes.length);
    expect(view.getUint16(4, true)).toBe(18);
    expect(view.getUint16(6, true)).toBe(1);
    expect(view.getUint32(8, true)).toBe(7);
    expect([...bytes.subarray(16, 32)]).toEqual(new Array<number>(16).fill(0));
    expect(view.getUint16(32, true)).toBe(4 + 6);
    expect(view.getUint16(34, true)).toBe(3);
    expect(new TextDecoder().decode(bytes.subarray(36, 42))).toBe('veth1\0');
  });

  it.each(['', 'a-name-of-16-chr', 'nul\0inside'])('refuses the name %j', (name) => {
    expect(() => getLinkRequest(name, 1)).toThrow(RangeError);
  });
});

describe('parseLinkReply', () => {
  it('reads index, name, oper-state and MAC of an RTM_NEWLINK', () => {
    const reply = parseLinkReply(newLink(3, 12, 'veth1', 6, [0x02, 0, 0, 0xab, 0xcd, 0xef]), 3);
    expect(reply).toEqual({
      link: { ifindex: 12, name: 'veth1', operstate: 'UP', mac: '02:00:00:ab:cd:ef' },
    });
  });

  it.each([
    [0, 'UNKNOWN'],
    [2, 'DOWN'],
    [3, 'LOWERLAYERDOWN'],
    [5, 'DORMANT'],
    [99, 'UNKNOWN'],
  ])('spells IF_OPER %i as ip does: %s', (value, text) => {
    const reply = parseLinkReply(newLink(1, 2, 'x', value, [1, 2, 3, 4, 5, 6]), 1);
    expect('link' in reply && reply.link.operstate).toBe(text);
  });

  it('returns the errno of an NLMSG_ERROR (ENODEV: no such link)', () => {
    const payload = new Uint8Array(20);
    new DataView(payload.buffer).setInt32(0, -19, true);
    expect(parseLinkReply(message(2, 4, payload), 4)).toEqual({ errno: 19 });
  });

  it('skips messages of another request', () => {
    const other = newLink(8, 1, 'lo', 0, []);
    const mine = newLink(9, 5, 'veth9', 6, [2, 2, 2, 2, 2, 2]);
    const reply = parseLinkReply(concat(other, mine), 9);
    expect('link' in reply && reply.link.name).toBe('veth9');
  });

  it('refuses a truncated datagram and one without an answer', () => {
    const whole = newLink(1, 2, 'veth1', 6, [1, 2, 3, 4, 5, 6]);
    expect(() => parseLinkReply(whole.subarray(0, 30), 1)).toThrow(RangeError);
    expect(() => parseLinkReply(whole, 2)).toThrow(RangeError);
  });
});
