/**
 * One rtnetlink question, asked from this process instead of an `ip` child: the state of a link by
 * name (RTM_GETLINK). Used for the bridge port's oper-state check at the end of an ADD, which
 * otherwise costs a process. Message layout from linux/netlink.h and linux/rtnetlink.h; the
 * encoder and parser are pure, the socket is the caller's.
 */

const NLMSG_HDRLEN = 16;
const IFINFOMSG_LEN = 16;
const NLMSG_ERROR = 2;
const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const NLM_F_REQUEST = 1;
const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_OPERSTATE = 16;
/** Interface names are at most 15 bytes (IFNAMSIZ - 1). */
const IFNAME_MAX = 15;

/** IF_OPER_* of linux/if.h, spelled as iproute2 prints them. */
const OPERSTATES = [
  'UNKNOWN',
  'NOTPRESENT',
  'DOWN',
  'LOWERLAYERDOWN',
  'TESTING',
  'DORMANT',
  'UP',
] as const;

/** What the port check needs of a link. */
export interface LinkState {
  ifindex: number;
  name: string;
  /** `UP`, `DOWN`, `LOWERLAYERDOWN`... as `ip` prints it. */
  operstate: string;
  /** Lower-case MAC; undefined for links without one. */
  mac: string | undefined;
}

/** The answer to a {@link getLinkRequest}: the link, or the kernel's errno (ENODEV: no such link). */
export type LinkReply = { link: LinkState } | { errno: number };

const align4 = (n: number): number => (n + 3) & ~3;

/** An RTM_GETLINK request for the link `name` with sequence number `seq`. */
export function getLinkRequest(name: string, seq: number): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length === 0 || nameBytes.length > IFNAME_MAX || nameBytes.includes(0))
    throw new RangeError(`invalid interface name ${JSON.stringify(name)}`);
  const attrLen = 4 + nameBytes.length + 1;
  const total = NLMSG_HDRLEN + IFINFOMSG_LEN + align4(attrLen);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, total, true);
  view.setUint16(4, RTM_GETLINK, true);
  view.setUint16(6, NLM_F_REQUEST, true);
  view.setUint32(8, seq, true);
  // ifinfomsg stays zero: any family, index 0 (look up by name).
  const attr = NLMSG_HDRLEN + IFINFOMSG_LEN;
  view.setUint16(attr, attrLen, true);
  view.setUint16(attr + 2, IFLA_IFNAME, true);
  bytes.set(nameBytes, attr + 4);
  return bytes;
}

/**
 * The reply to request `seq` in one received datagram.
 * @throws RangeError when the datagram holds no well-formed answer to that request.
 */
export function parseLinkReply(datagram: Uint8Array, seq: number): LinkReply {
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  for (let at = 0; at + NLMSG_HDRLEN <= datagram.length;) {
    const len = view.getUint32(at, true);
    if (len < NLMSG_HDRLEN || at + len > datagram.length)
      throw new RangeError('truncated netlink message');
    const type = view.getUint16(at + 4, true);
    if (view.getUint32(at + 8, true) === seq) {
      if (type === NLMSG_ERROR && len >= NLMSG_HDRLEN + 4)
        return { errno: -view.getInt32(at + NLMSG_HDRLEN, true) };
      if (type === RTM_NEWLINK && len >= NLMSG_HDRLEN + IFINFOMSG_LEN)
        return { link: parseLink(datagram.subarray(at, at + len)) };
    }
    at += align4(len);
  }
  throw new RangeError(`no answer to netlink request ${seq}`);
}

function parseLink(msg: Uint8Array): LinkState {
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  const ifindex = view.getInt32(NLMSG_HDRLEN + 4, true);
  let name = '';
  let operstate = 'UNKNOWN';
  let mac: string | undefined;
  for (let at = NLMSG_HDRLEN + IFINFOMSG_LEN; at + 4 <= msg.length;) {
    const len = view.getUint16(at, true);
    if (len < 4 || at + len > msg.length) break;
    const payload = msg.subarray(at + 4, at + len);
    // The two top bits are the nested / byte-order flags, not part of the type.
    switch (view.getUint16(at + 2, true) & 0x3fff) {
      case IFLA_IFNAME:
        name = new TextDecoder().decode(payload).replace(/\0.*$/s, '');
        break;
      case IFLA_OPERSTATE:
        operstate = OPERSTATES[payload[0] ?? 0] ?? 'UNKNOWN';
        break;
      case IFLA_ADDRESS:
        if (payload.length > 0)
          mac = Array.from(payload, (b) => b.toString(16).padStart(2, '0')).join(':');
        break;
    }
    at += align4(len);
  }
  return { ifindex, name, operstate, mac };
}
