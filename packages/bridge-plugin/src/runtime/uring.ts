/**
 * Sends a kernel worker makes for us, through one small io_uring (IORING_OP_SEND with
 * IOSQE_ASYNC): the submitting call returns at once and an io-wq thread of this process does the
 * send, which on a netlink socket is the whole request. DEL hands the link deletion over this way
 * first: the kernel's veth teardown (15-25 ms of RCU waits) then runs while IPAM and the rules are
 * started, instead of holding this thread after them.
 *
 * Made on first use, with glibc's `syscall` and `mmap` as libc.ts bound them (one dlopen for
 * both modules); undefined where the kernel has no io_uring or refuses it
 * (kernel.io_uring_disabled, a seccomp filter): callers then send the usual way. Layouts from
 * linux/io_uring.h (the same on every architecture).
 */

const SYS_IO_URING_SETUP = 425;
const SYS_IO_URING_ENTER = 426;
const IORING_OFF_SQES = 0x10000000;
const IORING_FEAT_SINGLE_MMAP = 1;
const IORING_ENTER_GETEVENTS = 1;
const IORING_OP_SEND = 26;
const IOSQE_ASYNC = 1 << 4;
const PROT_READ_WRITE = 0x1 | 0x2;
const MAP_SHARED_POPULATE = 0x01 | 0x8000;
const EINTR = 4;

const ENTRIES = 4;
const PARAMS_SIZE = 120;
const SQE_SIZE = 64;
const CQE_SIZE = 16;

/** The part of bun:ffi this module uses. */
export interface UringFfi {
  ptr(view: Uint8Array): number;
  toArrayBuffer(pointer: number, offset: number, length: number): ArrayBuffer;
}

/** glibc's `syscall` (seven 64-bit arguments) and `mmap`, bound through bun:ffi. */
export interface UringCalls {
  syscall(...args: number[]): number | bigint;
  mmap(
    addr: number,
    length: number,
    prot: number,
    flags: number,
    fd: number,
    offset: number,
  ): number | bigint;
}

/** Sends on a socket from a kernel worker. */
export interface Uring {
  /**
   * Submits the send and returns at once; the returned function waits for it to complete and
   * throws (through `failure`) when it failed. `data` is kept alive until then. Undefined, with
   * nothing sent, when the kernel would not take the submission.
   */
  send(fd: number, data: Uint8Array): (() => void) | undefined;
}

/**
 * Sets up the ring, or returns undefined where that is not possible here.
 * @param sys glibc's syscall and mmap.
 * @param errno reads the calling thread's errno after a failed call.
 * @param failure makes the error a failed send throws.
 * @param close closes a descriptor (the ring's, when it cannot be used).
 */
export function openUring(
  ffi: UringFfi,
  sys: UringCalls,
  errno: () => number,
  failure: (errno: number, syscall: string) => Error,
  close: (fd: number) => void,
): Uring | undefined {
  // Unused trailing arguments are 0 (io_uring_enter's argp and argsz among them).
  const call = (nr: number, a = 0, b = 0, c = 0, d = 0): number =>
    Number(sys.syscall(nr, a, b, c, d, 0, 0));

  const params = new Uint8Array(PARAMS_SIZE);
  const ring = call(SYS_IO_URING_SETUP, ENTRIES, ffi.ptr(params));
  if (ring < 0) return undefined;
  const p = new DataView(params.buffer);
  const sqEntries = p.getUint32(0, true);
  const cqEntries = p.getUint32(4, true);
  // io_uring_params: sq_off at 40 (offsets of head, tail, ring_mask, _, _, _, array), cq_off at
  // 80 (offsets of head, tail, ring_mask, _, _, cqes).
  const sqTail = p.getUint32(44, true);
  const sqMaskAt = p.getUint32(48, true);
  const sqArray = p.getUint32(64, true);
  const cqHead = p.getUint32(80, true);
  const cqTail = p.getUint32(84, true);
  const cqMaskAt = p.getUint32(88, true);
  const cqes = p.getUint32(100, true);
  // Kernels since 5.4 map both rings at once; an older one is not worth a second path.
  if ((p.getUint32(20, true) & IORING_FEAT_SINGLE_MMAP) === 0) {
    close(ring);
    return undefined;
  }
  const ringSize = Math.max(sqArray + sqEntries * 4, cqes + cqEntries * CQE_SIZE);
  const ringAt = Number(sys.mmap(0, ringSize, PROT_READ_WRITE, MAP_SHARED_POPULATE, ring, 0));
  const sqesAt = Number(
    sys.mmap(0, sqEntries * SQE_SIZE, PROT_READ_WRITE, MAP_SHARED_POPULATE, ring, IORING_OFF_SQES),
  );
  if (ringAt < 0 || sqesAt < 0) {
    close(ring); // its mappings, if one was made, stay until exit: a few pages
    return undefined;
  }
  const shared = new DataView(ffi.toArrayBuffer(ringAt, 0, ringSize));
  const sqes = new DataView(ffi.toArrayBuffer(sqesAt, 0, sqEntries * SQE_SIZE));
  // The offsets locate the masks in the shared ring; the kernel wrote their values there.
  const sqMask = shared.getUint32(sqMaskAt, true);
  const cqMask = shared.getUint32(cqMaskAt, true);

  let nextToken = 1n;
  const done = new Map<bigint, number>();

  /** Moves completions to `done` (the ring is read, then its head advanced). */
  const reap = (): void => {
    let head = shared.getUint32(cqHead, true);
    const tail = shared.getUint32(cqTail, true);
    for (; head !== tail; head = (head + 1) >>> 0) {
      const at = cqes + (head & cqMask) * CQE_SIZE;
      done.set(shared.getBigUint64(at, true), shared.getInt32(at + 8, true));
    }
    shared.setUint32(cqHead, head, true);
  };

  const wait = (token: bigint): number => {
    for (;;) {
      reap();
      const res = done.get(token);
      if (res !== undefined) {
        done.delete(token);
        return res;
      }
      if (call(SYS_IO_URING_ENTER, ring, 0, 1, IORING_ENTER_GETEVENTS) < 0) {
        const e = errno();
        if (e !== EINTR) throw failure(e, 'io_uring_enter');
      }
    }
  };

  return {
    send(fd, data) {
      const token = nextToken++;
      const tail = shared.getUint32(sqTail, true);
      const index = tail & sqMask;
      const at = index * SQE_SIZE;
      for (let i = 0; i < SQE_SIZE; i += 8) sqes.setBigUint64(at + i, 0n, true);
      sqes.setUint8(at, IORING_OP_SEND);
      sqes.setUint8(at + 1, IOSQE_ASYNC);
      sqes.setInt32(at + 4, fd, true);
      sqes.setBigUint64(at + 16, BigInt(ffi.ptr(data)), true);
      sqes.setUint32(at + 24, data.length, true);
      sqes.setBigUint64(at + 32, token, true);
      shared.setUint32(sqArray + index * 4, index, true);
      // The entry is written before the tail that publishes it; the system call that follows
      // orders both before the kernel reads them.
      shared.setUint32(sqTail, (tail + 1) >>> 0, true);
      if (call(SYS_IO_URING_ENTER, ring, 1) !== 1) {
        // Not taken (the kernel consumes an entry only when it submits it): withdrawn.
        shared.setUint32(sqTail, tail, true);
        return undefined;
      }
      return () => {
        const res = wait(token);
        // `data` stays referenced by this closure until the kernel is done with it.
        if (res < 0) throw failure(-res, `send (${data.length} bytes)`);
      };
    },
  };
}
