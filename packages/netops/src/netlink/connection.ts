/**
 * A {@link NetlinkConnection} on a raw datagram socket that a runtime provides (the Bun
 * executable: socket(2), send(2) and recv(2) through bun:ffi): reads datagrams until the answer
 * to the request is complete.
 */
import type { NetlinkConnection } from '../runner.js';
import { NLMSG_DONE, NLMSG_ERROR, parseMessages } from './wire.js';

const NLM_F_MULTI = 0x2;

/** The socket calls a runtime gives {@link netlinkConnection}. */
export interface DatagramSocket {
  send(data: Uint8Array): void;
  /** The next queued datagram, without waiting; undefined when none is queued. */
  receive(): Uint8Array | undefined;
  /** See {@link NetlinkConnection.openNetns}; what it opens, `close` closes. */
  openNetns?(path: string): number;
  close(): void;
}

/** True when `datagram` ends an answer: an acknowledgement or error, a dump's end, or a lone reply. */
function ends(datagram: Uint8Array): boolean {
  return parseMessages(datagram).some(
    (m) => m.type === NLMSG_ERROR || m.type === NLMSG_DONE || (m.flags & NLM_F_MULTI) === 0,
  );
}

/** Wraps `socket`; `exchange` throws when the kernel's answer is not queued. */
export function netlinkConnection(socket: DatagramSocket): NetlinkConnection {
  const openNetns = socket.openNetns?.bind(socket);
  return {
    ...(openNetns ? { openNetns } : {}),
    exchange(request) {
      socket.send(request);
      const answer: Uint8Array[] = [];
      for (;;) {
        const datagram = socket.receive();
        if (datagram === undefined) throw new Error('no answer from the kernel');
        answer.push(datagram);
        if (ends(datagram)) return answer;
      }
    },
    close: () => socket.close(),
  };
}
