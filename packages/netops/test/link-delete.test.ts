/** Deleting a link over netlink, started early and finished late, against a scripted kernel. */
import { describe, expect, it } from 'vitest';
import { isNetopsError, netlinkConnection, startLinkDeletion } from '../src/index.js';
import { FakeKernel } from './helpers/fake-netlink.js';

function kernelWithEth0(): FakeKernel {
  const k = new FakeKernel();
  k.addLink({
    index: 7,
    name: 'eth0',
    flags: 0x1003,
    mtu: 1500,
    operstate: 6,
    mac: [2, 0, 0, 0, 0, 7],
  });
  return k;
}

describe('startLinkDeletion', () => {
  it('hands the request to the kernel at once where the socket sends in the background', () => {
    const kernel = kernelWithEth0();
    const events: string[] = [];
    const conn = netlinkConnection(kernel.datagramSocket(true, events));
    const finish = startLinkDeletion(conn, 'eth0');
    expect(events).toEqual(['submitted']);
    events.push('other work');
    expect(finish()).toBe('deleted');
    expect(events).toEqual(['submitted', 'other work', 'waited']);
    expect(kernel.links.has('eth0')).toBe(false);
  });

  it('sends one RTM_DELLINK naming the link, with no lookup first', () => {
    const kernel = kernelWithEth0();
    startLinkDeletion(netlinkConnection(kernel.datagramSocket(true)), 'eth0')();
    expect(kernel.seen).toHaveLength(1);
    const [req] = kernel.seen;
    expect(req?.type).toBe(17);
    expect(req?.flags).toBe(0x1 | 0x4); // NLM_F_REQUEST | NLM_F_ACK
    expect(new DataView(req!.body.buffer, req!.body.byteOffset).getInt32(4, true)).toBe(0);
    expect(new TextDecoder().decode(req?.attrs.get(3))).toBe('eth0\0');
  });

  it('without background sending, sends only when finished (the caller keeps its order)', () => {
    const kernel = kernelWithEth0();
    const events: string[] = [];
    const finish = startLinkDeletion(
      netlinkConnection(kernel.datagramSocket(false, events)),
      'eth0',
    );
    expect(events).toEqual([]);
    expect(kernel.links.has('eth0')).toBe(true);
    expect(finish()).toBe('deleted');
    expect(events).toEqual(['send']);
  });

  it('falls back to sending when finished where the background send is refused', () => {
    const kernel = kernelWithEth0();
    const events: string[] = [];
    const socket = { ...kernel.datagramSocket(false, events), sendInBackground: () => undefined };
    const finish = startLinkDeletion(netlinkConnection(socket), 'eth0');
    expect(kernel.links.has('eth0')).toBe(true);
    expect(finish()).toBe('deleted');
    expect(events).toEqual(['send']);
  });

  it('reports a missing link as absent', () => {
    const kernel = new FakeKernel();
    expect(startLinkDeletion(netlinkConnection(kernel.datagramSocket(true)), 'eth0')()).toBe(
      'absent',
    );
  });

  it("throws iproute2's message, classified, when the kernel refuses", () => {
    const kernel = kernelWithEth0();
    kernel.failures.push({ type: 17, errno: 1 });
    const finish = startLinkDeletion(netlinkConnection(kernel.datagramSocket(true)), 'eth0');
    let caught: unknown;
    try {
      finish();
    } catch (err) {
      caught = err;
    }
    expect(isNetopsError(caught)).toBe(true);
    expect((caught as Error).message).toBe('RTNETLINK answers: Operation not permitted');
    expect(caught).toMatchObject({
      kind: 'failed',
      stage: 'command',
      lineText: 'link del dev eth0',
    });
  });

  it('refuses an unusable name before sending anything', () => {
    const kernel = kernelWithEth0();
    const conn = netlinkConnection(kernel.datagramSocket(true));
    expect(() => startLinkDeletion(conn, 'eth 0')).toThrow(/invalid interface name/);
    expect(kernel.seen).toEqual([]);
  });
});
