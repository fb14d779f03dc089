/**
 * The few system calls the Bun executable makes itself, through bun:ffi from glibc: setns, file
 * reads and writes for /proc/sys and stdin, statfs and statx, a NETLINK_ROUTE socket, and sends
 * made in the background through io_uring (uring.ts, set up on first use). Loading
 * bun:ffi and libc costs about 1.5 ms here; `node:fs` costs about 4 ms to load inside a Bun
 * executable and its asynchronous calls go through a thread pool, which costs more again.
 *
 * Errors are thrown as Node-style errno errors (`code` such as `ENOENT`), so callers handle both
 * runtimes alike. Undefined is returned from {@link loadLibc} where bun:ffi or glibc is missing
 * (Node, musl): callers fall back to node:fs, nsenter and `ip`.
 */

import { openUring, type Uring } from './uring.js';

/** CLONE_NEWNET from linux/sched.h. */
export const CLONE_NEWNET = 0x40000000;

const O_RDONLY = 0;
const O_WRONLY = 1;
const O_CLOEXEC = 0x80000;
const MFD_CLOEXEC = 0x1;
const SEEK_SET = 0;
const SEEK_END = 2;
const EINTR = 4;
const AT_FDCWD = -100;
const AT_EMPTY_PATH = 0x1000;
const STATX_TYPE = 0x1;
const STATX_INO = 0x100;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0x80000;
const NETLINK_ROUTE = 0;
const MSG_DONTWAIT = 0x40;
const SOL_NETLINK = 270;
const NETLINK_GET_STRICT_CHK = 12;
/** struct statx is 256 bytes on every architecture; statfs is at most 120. */
const STATX_SIZE = 256;
const STATFS_SIZE = 256;

const ERRNO_NAMES: Record<number, [string, string]> = {
  1: ['EPERM', 'operation not permitted'],
  2: ['ENOENT', 'no such file or directory'],
  4: ['EINTR', 'interrupted system call'],
  5: ['EIO', 'input/output error'],
  9: ['EBADF', 'bad file descriptor'],
  11: ['EAGAIN', 'resource temporarily unavailable'],
  12: ['ENOMEM', 'cannot allocate memory'],
  13: ['EACCES', 'permission denied'],
  17: ['EEXIST', 'file exists'],
  19: ['ENODEV', 'no such device'],
  20: ['ENOTDIR', 'not a directory'],
  21: ['EISDIR', 'is a directory'],
  22: ['EINVAL', 'invalid argument'],
  24: ['EMFILE', 'too many open files'],
  28: ['ENOSPC', 'no space left on device'],
  36: ['ENAMETOOLONG', 'file name too long'],
  40: ['ELOOP', 'too many levels of symbolic links'],
  95: ['EOPNOTSUPP', 'operation not supported'],
  105: ['ENOBUFS', 'no buffer space available'],
};

/** An errno failure, shaped like Node's (`code`, `errno`, `syscall`, `path`). */
export class ErrnoError extends Error {
  readonly code: string;
  readonly errno: number;
  constructor(
    errno: number,
    readonly syscall: string,
    readonly path?: string,
  ) {
    const [code, text] = ERRNO_NAMES[errno] ?? [`E${errno}`, `errno ${errno}`];
    super(`${code}: ${text}, ${syscall}${path === undefined ? '' : ` '${path}'`}`);
    this.code = code;
    this.errno = errno;
  }
}
Object.defineProperty(ErrnoError.prototype, 'name', { value: 'ErrnoError' });

/** The calls, each throwing {@link ErrnoError} on failure. */
export interface Libc {
  setns(fd: number, nstype: number): void;
  /** Opens read-only (close-on-exec). */
  openRead(path: string): number;
  close(fd: number): void;
  /** Everything up to end of file. */
  readFd(fd: number, label?: string): Uint8Array;
  /**
   * An anonymous in-memory file (memfd_create(2), close-on-exec), for a child's output: handed to
   * the child as its stdout, it needs no pipe reader (Bun reads pipes with helper threads).
   */
  memfd(name: string): number;
  /** A file's content from its start, as long as the file is now (lseek(2), then read(2)). */
  readFromStart(fd: number): Uint8Array;
  /** One read(2) (retried on EINTR): at most `length` bytes into `into` from `offset`, 0 at EOF. */
  read(fd: number, into: Uint8Array, offset: number, length: number): number;
  readFile(path: string): string;
  /** Writes `text` with one write(2), as /proc/sys files want. */
  writeFile(path: string, text: string): void;
  /** statfs(2) f_type. */
  statfsType(path: string): number;
  /** `major:minor:inode` of a path, or of an open fd when `path` is a number. */
  fileId(path: string | number): string;
  /** Whether `path` is a regular file (symlinks followed); false when it cannot be stat'ed. */
  isRegularFile(path: string): boolean;
  /** A NETLINK_ROUTE socket of the calling thread's current network namespace. */
  netlinkSocket(): number;
  send(fd: number, data: Uint8Array): void;
  /** One datagram, without waiting: undefined when none is queued. */
  recvNow(fd: number, buffer: Uint8Array): Uint8Array | undefined;
  /**
   * Sends `data` on `fd` from a kernel worker and returns at once (see uring.ts); the returned
   * function waits for the send and throws its error. Undefined, with nothing sent, where
   * io_uring is not available.
   */
  sendInBackground(fd: number, data: Uint8Array): (() => void) | undefined;
}

type Fn = (...args: unknown[]) => number | bigint;

interface BunFfi {
  FFIType: Record<'i32' | 'u32' | 'i64' | 'u64' | 'ptr', number>;
  dlopen<K extends string>(
    path: string,
    symbols: Record<K, { args: number[]; returns: number }>,
  ): { symbols: Record<K, Fn> };
  read: { i32(ptr: number, offset?: number): number };
  ptr(view: Uint8Array): number;
  toArrayBuffer(pointer: number, offset: number, length: number): ArrayBuffer;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const cString = (s: string): Uint8Array => encoder.encode(`${s}\0`);

function bind(ffi: BunFfi): Libc {
  const { i32, u32, i64, u64, ptr } = ffi.FFIType;
  const f = ffi.dlopen('libc.so.6', {
    setns: { args: [i32, i32], returns: i32 },
    open: { args: [ptr, i32], returns: i32 },
    close: { args: [i32], returns: i32 },
    read: { args: [i32, ptr, u64], returns: i64 },
    write: { args: [i32, ptr, u64], returns: i64 },
    statfs: { args: [ptr, ptr], returns: i32 },
    statx: { args: [i32, ptr, i32, u32, ptr], returns: i32 },
    socket: { args: [i32, i32, i32], returns: i32 },
    send: { args: [i32, ptr, u64, i32], returns: i64 },
    recv: { args: [i32, ptr, u64, i32], returns: i64 },
    setsockopt: { args: [i32, i32, i32, ptr, u32], returns: i32 },
    memfd_create: { args: [ptr, u32], returns: i32 },
    // For uring.ts, bound here so that one dlopen serves both.
    syscall: { args: [i64, i64, i64, i64, i64, i64, i64], returns: i64 },
    mmap: { args: [i64, u64, i32, i32, i32, i64], returns: i64 },
    lseek: { args: [i32, i64, i32], returns: i64 },
    __errno_location: { args: [], returns: ptr },
  }).symbols;
  const errno = (): number => ffi.read.i32(Number(f.__errno_location()));
  const check = (ret: number | bigint, syscall: string, path?: string): number => {
    const n = Number(ret);
    if (n < 0) throw new ErrnoError(errno(), syscall, path);
    return n;
  };
  const openWith = (path: string, flags: number): number =>
    check(f.open(cString(path), flags | O_CLOEXEC), 'open', path);
  const close = (fd: number): void => void f.close(fd);

  /** One read(2), retried when a signal interrupts it. */
  const read = (
    fd: number,
    into: Uint8Array,
    offset: number,
    length: number,
    label?: string,
  ): number => {
    for (;;) {
      const n = Number(f.read(fd, into.subarray(offset), length));
      if (n >= 0) return n;
      const e = errno();
      if (e !== EINTR) throw new ErrnoError(e, 'read', label);
    }
  };
  const readFd = (fd: number, label?: string): Uint8Array => {
    let buffer = new Uint8Array(64 * 1024);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const n = read(fd, buffer, length, buffer.length - length, label);
      if (n === 0) return buffer.slice(0, length);
      length += n;
    }
  };
  // null: not tried yet; undefined: not available here.
  let uring: Uring | undefined | null = null;
  const openRing = (): Uring | undefined => {
    try {
      return openUring(
        ffi,
        { syscall: f.syscall, mmap: f.mmap },
        errno,
        (e, syscall) => new ErrnoError(e, syscall),
        close,
      );
    } catch {
      return undefined;
    }
  };

  const withFile = <T>(path: string, flags: number, work: (fd: number) => T): T => {
    const fd = openWith(path, flags);
    try {
      return work(fd);
    } finally {
      close(fd);
    }
  };

  return {
    setns: (fd, nstype) => void check(f.setns(fd, nstype), 'setns'),
    openRead: (path) => openWith(path, O_RDONLY),
    close,
    read,
    readFd,
    memfd: (name) => check(f.memfd_create(cString(name), MFD_CLOEXEC), 'memfd_create'),
    readFromStart: (fd) => {
      // Sized by the file's end, read from its start: no 64 KiB buffer for a few bytes (or none).
      const size = check(f.lseek(fd, 0, SEEK_END), 'lseek');
      check(f.lseek(fd, 0, SEEK_SET), 'lseek');
      const bytes = new Uint8Array(size);
      let length = 0;
      while (length < size) {
        const n = read(fd, bytes, length, size - length);
        if (n === 0) break;
        length += n;
      }
      return length === size ? bytes : bytes.subarray(0, length);
    },
    readFile: (path) => decoder.decode(withFile(path, O_RDONLY, (fd) => readFd(fd, path))),
    writeFile: (path, text) =>
      withFile(path, O_WRONLY, (fd) => {
        const data = encoder.encode(text);
        check(f.write(fd, data, data.length), 'write', path);
      }),
    statfsType: (path) => {
      const buf = new Uint8Array(STATFS_SIZE);
      check(f.statfs(cString(path), buf), 'statfs', path);
      // f_type is the first member (a long); filesystem magics fit its low 32 bits.
      return new DataView(buf.buffer).getUint32(0, true);
    },
    fileId: (path) => {
      const buf = new Uint8Array(STATX_SIZE);
      if (typeof path === 'number')
        check(f.statx(path, cString(''), AT_EMPTY_PATH, STATX_INO, buf), 'statx');
      else check(f.statx(AT_FDCWD, cString(path), 0, STATX_INO, buf), 'statx', path);
      const view = new DataView(buf.buffer);
      // stx_ino at 32, stx_dev_major/minor at 136/140 (linux/stat.h).
      const ino = view.getBigUint64(32, true);
      return `${view.getUint32(136, true)}:${view.getUint32(140, true)}:${ino}`;
    },
    isRegularFile: (path) => {
      const buf = new Uint8Array(STATX_SIZE);
      if (Number(f.statx(AT_FDCWD, cString(path), 0, STATX_TYPE, buf)) !== 0) return false;
      // stx_mode at 28.
      return (new DataView(buf.buffer).getUint16(28, true) & S_IFMT) === S_IFREG;
    },
    netlinkSocket: () => {
      const fd = check(f.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), 'socket');
      // Strict checking lets the kernel filter dumps (a link's addresses) instead of sending all;
      // an older kernel without it just sends more.
      f.setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, Int32Array.of(1), 4);
      return fd;
    },
    send: (fd, data) => void check(f.send(fd, data, data.length, 0), 'send'),
    recvNow: (fd, buffer) => {
      const n = Number(f.recv(fd, buffer, buffer.length, MSG_DONTWAIT));
      if (n >= 0) return buffer.subarray(0, n);
      const e = errno();
      if (e === 11) return undefined;
      throw new ErrnoError(e, 'recv');
    },
    sendInBackground: (fd, data) => {
      if (uring === null) uring = openRing();
      return uring?.send(fd, data);
    },
  };
}

let loaded: Promise<Libc | undefined> | undefined;

/** glibc through bun:ffi, loaded once on first use; undefined outside Bun or without glibc. */
export function loadLibc(): Promise<Libc | undefined> {
  // A variable keeps bundlers for Node from resolving the Bun-only module.
  const ffiModule = 'bun:ffi';
  loaded ??= (import(ffiModule) as Promise<BunFfi>).then(bind).catch(() => undefined);
  return loaded;
}
