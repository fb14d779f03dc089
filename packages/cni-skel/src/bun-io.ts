/**
 * The plugin's io on Bun's own stdin, stdout and stderr, for a `bun build --compile` executable:
 * cheaper to start than Node's streams. Structurally typed, so the package needs no Bun types.
 */
import type { PluginIo } from './io.js';
import { nodeFileId } from './netns-check.js';

/** The members of the `Bun` global that {@link bunIo} uses. */
export interface BunStdio {
  readonly stdin: { bytes(): Promise<Uint8Array> };
  readonly stdout: unknown;
  readonly stderr: unknown;
  write(destination: unknown, data: string): Promise<number>;
}

/**
 * Stdin read with one synchronous call: `Bun.stdin.bytes()` goes through Bun's thread pool, whose
 * start costs a few milliseconds a plugin need not pay (the runtime's pipe is already written).
 * A non-blocking stdin (EAGAIN) is read the asynchronous way.
 */
export async function readStdinSyncFirst(
  readSync: () => Uint8Array,
  readAsync: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  try {
    return readSync();
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EAGAIN') throw err;
    return readAsync();
  }
}

/**
 * Synchronous system calls a Bun executable may hand to {@link bunIo} instead of node:fs, which
 * costs a few milliseconds to load there (e.g. glibc through bun:ffi).
 */
export interface SyncFileCalls {
  /** Reads the descriptor to end of file (an errno error with `code` on failure). */
  readFd(fd: number): Uint8Array;
  /** A stable identity (device and inode) of a path; throws when it cannot be stat'ed. */
  fileId(path: string): string;
}

/** Options of {@link bunIo}. */
export interface BunIoOptions {
  /** Loads the system calls on first use; undefined (or resolving to it) means node:fs. */
  sys?: () => Promise<SyncFileCalls | undefined>;
}

async function readFd0(sys: SyncFileCalls | undefined): Promise<() => Uint8Array> {
  if (sys !== undefined) return () => sys.readFd(0);
  const { readFileSync } = await import('node:fs');
  return () => readFileSync(0);
}

/** A {@link PluginIo} on `Bun.stdin`, `Bun.stdout` and `Bun.stderr`, with the given environment. */
export function bunIo(
  bun: BunStdio,
  env: Record<string, string | undefined>,
  options: BunIoOptions = {},
): PluginIo {
  const sys = async () => options.sys?.();
  return {
    env,
    readStdin: async () => readStdinSyncFirst(await readFd0(await sys()), () => bun.stdin.bytes()),
    writeStdout: async (text) => {
      await bun.write(bun.stdout, text);
    },
    writeStderr: (text) => {
      void bun.write(bun.stderr, text);
    },
    fileId: async (path) => {
      const calls = await sys();
      if (calls === undefined) return nodeFileId(path);
      try {
        return calls.fileId(path);
      } catch {
        return undefined;
      }
    },
  };
}
