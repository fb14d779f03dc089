/**
 * The runtime seam between the skel and the process: environment, stdin, stdout, stderr. The
 * default implementation uses Node's `process`; another runtime (a Bun executable) or a test passes
 * its own. Nothing here runs until a command actually needs it.
 */

/** What the skel needs from its process. */
export interface PluginIo {
  /** The environment (CNI_* variables and whatever else the runtime passed). */
  env: Record<string, string | undefined>;
  /** All of stdin (the skel refuses more than {@link MAX_STDIN_BYTES}). */
  readStdin: () => Promise<Uint8Array>;
  /** Writes stdout; resolves only once the text was completely handed to the OS. */
  writeStdout: (text: string) => Promise<void>;
  /** Writes diagnostics to stderr (best effort). */
  writeStderr: (text: string) => void;
  /**
   * The identity of a file (device and inode, any stable text), or undefined when it cannot be
   * stat'ed: the guard against being handed the plugin's own netns compares two of them. Default:
   * node:fs, loaded on first use.
   */
  fileId?: (path: string) => Promise<string | undefined>;
}

/**
 * The most stdin the skel accepts (4 MiB). A network config is a few KB; a bigger input is a
 * runaway writer, refused with code 5 before JSON decoding so memory stays bounded.
 */
export const MAX_STDIN_BYTES = 4 * 1024 * 1024;

const swallowed = new WeakSet<NodeJS.WritableStream>();

// A stream error (EPIPE: the runtime went away) must not crash the process as an unhandled
// 'error' event; the write that hit it reports it through its callback.
function guard(stream: NodeJS.WritableStream): void {
  if (swallowed.has(stream)) return;
  swallowed.add(stream);
  stream.on('error', () => undefined);
}

function writeFully(stream: NodeJS.WritableStream, data: string | Uint8Array): Promise<void> {
  guard(stream);
  return new Promise((resolve, reject) => {
    // The callback runs once the data is written to the fd: pipes are asynchronous on POSIX, so
    // resolving earlier would let a process.exit() truncate the output.
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    chunks.push(bytes);
    size += bytes.length;
    // Stop at limit+1 bytes: enough for the skel to see the input is too big.
    if (size > limit) break;
  }
  return concat(chunks, size);
}

/**
 * Stdin read with synchronous calls: the asynchronous ways cost a plugin start-up time it need not
 * pay, since the runtime's pipe is already written (`Bun.stdin.bytes()` starts Bun's thread pool,
 * `process.stdin` loads Node's net and stream modules and makes a socket). A non-blocking stdin
 * (EAGAIN) is read the asynchronous way, after the bytes the synchronous reads got (the error's
 * `head`, see {@link readFdSync}).
 */
export async function readStdinSyncFirst(
  readSync: () => Uint8Array,
  readAsync: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  try {
    return readSync();
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EAGAIN') throw err;
    const head = (err as { head?: unknown }).head;
    const rest = await readAsync();
    if (!(head instanceof Uint8Array) || head.length === 0) return rest;
    return concat([head, rest], head.length + rest.length);
  }
}

/**
 * One read(2) at the descriptor's position: at most `length` bytes into `into` from `offset`, 0 at
 * end of file; failures throw an errno error with `code` (node:fs `readSync`'s shape).
 */
export type ReadSync = (fd: number, into: Uint8Array, offset: number, length: number) => number;

const nodeReadSync: ReadSync = (fd, into, offset, length) =>
  process.getBuiltinModule('node:fs').readSync(fd, into, offset, length, null);

/**
 * Reads `fd` to end of file with synchronous reads (default: node:fs, loaded on first use),
 * stopping after `limit + 1` bytes: enough for the skel to see an input is too big, without waiting
 * for a runaway writer to finish. Throws what a read throws; when that is EAGAIN (a non-blocking
 * descriptor with nothing more yet), the bytes read before it go with the error as `head`.
 */
export function readFdSync(fd: number, limit: number, read: ReadSync = nodeReadSync): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // A config is a few KB: the first buffer is small, later ones grow (fewer pages touched).
  let buffer = new Uint8Array(Math.min(16 * 1024, limit + 1));
  let used = 0;
  while (size <= limit) {
    if (used === buffer.length) {
      chunks.push(buffer);
      buffer = new Uint8Array(Math.min(buffer.length * 2, 1024 * 1024, limit + 1 - size));
      used = 0;
    }
    let n: number;
    try {
      n = read(fd, buffer, used, buffer.length - used);
    } catch (err) {
      if (size > 0 && (err as { code?: unknown }).code === 'EAGAIN')
        Object.assign(err as object, { head: concat([...chunks, buffer.subarray(0, used)], size) });
      throw err;
    }
    if (n === 0) break;
    used += n;
    size += n;
  }
  chunks.push(buffer.subarray(0, used));
  return concat(chunks, size);
}

/**
 * One write(2) at the descriptor's position of at most `length` bytes of `from` starting at
 * `offset`; returns how many were written, failures throw an errno error with `code` (node:fs
 * `writeSync`'s shape).
 */
export type WriteSync = (fd: number, from: Uint8Array, offset: number, length: number) => number;

const nodeWriteSync: WriteSync = (fd, from, offset, length) =>
  process.getBuiltinModule('node:fs').writeSync(fd, from, offset, length);

/**
 * Writes `bytes` to `fd` with synchronous writes (default: node:fs, loaded on first use) and
 * returns what is left unwritten: nothing, or, when the descriptor is non-blocking and full
 * (EAGAIN), the rest, for the asynchronous way. Other failures (EPIPE: the reader is gone) throw.
 * Stdout and stderr are written this way because `process.stdout` or `process.stderr` on a pipe
 * costs a plugin 5–8 ms to make (Node's net and stream modules, a socket) for a line or two.
 */
export function writeFdSync(
  fd: number,
  bytes: Uint8Array,
  write: WriteSync = nodeWriteSync,
): Uint8Array {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += write(fd, bytes, offset, bytes.length - offset);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'EAGAIN') break;
      throw err;
    }
  }
  return bytes.subarray(offset);
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]?.length === size) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Best-effort diagnostics on stderr, written like stdout (see {@link writeFdSync}): the stream is
 * made only for what a full non-blocking descriptor refuses, and once it holds text, later text
 * follows it there so that the order is kept.
 */
export function stderrWriter(write: WriteSync = nodeWriteSync): (text: string) => void {
  let streamed = false;
  return (text) => {
    let rest: Uint8Array | string = text;
    if (!streamed) {
      try {
        rest = writeFdSync(2, new TextEncoder().encode(text), write);
      } catch {
        return; // nobody is reading stderr any more (EPIPE)
      }
      if (rest.length === 0) return;
      streamed = true;
    }
    guard(process.stderr);
    process.stderr.write(rest);
  };
}

/** One writer for every {@link processIo}: the order of stderr lines holds across them. */
let processStderr: ((text: string) => void) | undefined;

/** The default io over Node's `process` (also works under Bun). */
export function processIo(): PluginIo {
  return {
    env: process.env,
    readStdin: () =>
      readStdinSyncFirst(
        () => readFdSync(0, MAX_STDIN_BYTES),
        () => readAll(process.stdin, MAX_STDIN_BYTES),
      ),
    writeStdout: async (text) => {
      const rest = writeFdSync(1, new TextEncoder().encode(text));
      if (rest.length > 0) await writeFully(process.stdout, rest);
    },
    writeStderr: (processStderr ??= stderrWriter()),
  };
}
