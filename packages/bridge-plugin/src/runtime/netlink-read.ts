/**
 * A link's state read over a NETLINK_ROUTE socket of this process's current namespace (the host's):
 * one request, one reply, no child process.
 */
import type { Libc } from './libc.js';
import { getLinkRequest, parseLinkReply, type LinkState } from './netlink-link.js';

/** Replies to a single-link request stay far below this (a link with all its attributes: ~2 KB). */
const REPLY_BUFFER = 32 * 1024;

/**
 * The link `name`, or undefined when it does not exist or the kernel's answer was not there at once
 * (the caller then reads it with `ip`). rtnetlink answers a GETLINK while handling the send, so
 * the reply is already queued when recv runs; the receive never waits.
 */
export function readLinkState(libc: Libc, name: string): LinkState | undefined {
  const seq = 1;
  const fd = libc.netlinkSocket();
  try {
    libc.send(fd, getLinkRequest(name, seq));
    const datagram = libc.recvNow(fd, new Uint8Array(REPLY_BUFFER));
    if (datagram === undefined) return undefined;
    const reply = parseLinkReply(datagram, seq);
    return 'link' in reply ? reply.link : undefined;
  } finally {
    libc.close(fd);
  }
}
