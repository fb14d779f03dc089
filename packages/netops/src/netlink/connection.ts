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
  /**
   * Sends `data` from a kernel worker and returns at once; the returned function waits until the
   * send, and with it the kernel's handling of the request, is done (throws when it failed). The
   * data must not change until then. Undefined, with nothing sent, where the runtime cannot.
   */
  sendInBackground?(data: Uint8Array): (() => void) | undefined;
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
  const sendInBackground = socket.sendInBackground?.bind(socket);
  // The kernel queues the whole answer while it handles the send, so it is there to read after.
  const answer = (): Uint8Array[] => {
    const datagrams: Uint8Array[] = [];
    for (;;) {
      const datagram = socket.receive();
      if (datagram === undefined) throw new Error('no answer from the kernel');
      datagrams.push(datagram);
      if (ends(datagram)) return datagrams;
    }
  };
  return {
    ...(openNetns ? { openNetns } : {}),
    exchange(request) {
      socket.send(request);
      return answer();
    },
    ...(sendInBackground
      ? {
          exchangeLater(request: Uint8Array) {
            const sent = sendInBackground(request);
            if (sent === undefined) return undefined;
            return () => {
              sent();
              return answer();
            };
          },
        }
      : {}),
    close: () => socket.close(),
  };
}
