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

function writeFully(stream: NodeJS.WritableStream, text: string): Promise<void> {
  guard(stream);
  return new Promise((resolve, reject) => {
    // The callback runs once the data is written to the fd: pipes are asynchronous on POSIX, so
    // resolving earlier would let a process.exit() truncate the output.
    stream.write(text, (err) => (err ? reject(err) : resolve()));
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
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The default io over Node's `process` (also works under Bun). */
export function processIo(): PluginIo {
  return {
    env: process.env,
    readStdin: () => readAll(process.stdin, MAX_STDIN_BYTES),
    writeStdout: (text) => writeFully(process.stdout, text),
    writeStderr: (text) => {
      guard(process.stderr);
      process.stderr.write(text);
    },
  };
}
