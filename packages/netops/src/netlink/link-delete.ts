/**
 * Deleting one link over netlink, started early and finished late: the kernel's teardown of a veth
 * pair (RCU grace periods, 15-25 ms) is the longest part of a CNI DEL, and where the connection can
 * hand the request to a kernel worker ({@link NetlinkConnection.exchangeLater}) it runs while the
 * caller starts its other work. Elsewhere the request is sent when the caller finishes, as a
 * synchronous exchange, so the caller's own order is kept.
 */
import { NetopsError } from '../errors.js';
import { errnoKind } from '../classify.js';
import type { NetlinkConnection } from '../runner.js';
import { assertIfName } from '../validate.js';
import { delLinkByName } from './requests.js';
import { ENODEV, rtnetlinkAnswer } from './strerror.js';
import { NLMSG_ERROR, errorOf, parseMessages } from './wire.js';

/** What a finished deletion found: the link deleted, or no link of that name. */
export type LinkDeletion = 'deleted' | 'absent';

/**
 * Starts deleting link `name` in the connection's namespace; the returned function finishes it
 * (waiting for the kernel where it was started in the background) and tells what happened.
 * @throws NetopsError (`validate`) for an unusable name, at once; the finishing function throws
 * NetopsError (`command`, with iproute2's message) when the kernel refuses.
 */
export function startLinkDeletion(conn: NetlinkConnection, name: string): () => LinkDeletion {
  const request = delLinkByName(assertIfName(name)).build(1);
  const answer = conn.exchangeLater?.(request) ?? (() => conn.exchange(request));
  return () => outcome(answer(), name);
}

function outcome(datagrams: readonly Uint8Array[], name: string): LinkDeletion {
  for (const datagram of datagrams)
    for (const m of parseMessages(datagram)) {
      if (m.type !== NLMSG_ERROR) continue;
      const errno = errorOf(m.payload);
      if (errno === 0) return 'deleted';
      if (errno === ENODEV) return 'absent';
      throw new NetopsError(rtnetlinkAnswer(errno), {
        kind: errnoKind(errno),
        stage: 'command',
        lineText: `link del dev ${name}`,
      });
    }
  throw new NetopsError(`netlink: no acknowledgement deleting ${JSON.stringify(name)}`, {
    kind: 'failed',
    stage: 'command',
  });
}
