/**
 * The plugin's io on Bun's own stdin, stdout and stderr, for a `bun build --compile` executable:
 * cheaper to start than Node's streams. Structurally typed, so the package needs no Bun types.
 */
import {
  MAX_STDIN_BYTES,
  readFdSync,
  readStdinSyncFirst,
  type PluginIo,
  type ReadSync,
} from './io.js';
import { nodeFileId } from './netns-check.js';

/** The members of the `Bun` global that {@link bunIo} uses. */
export interface BunStdio {
  readonly stdin: { bytes(): Promise<Uint8Array> };
  readonly stdout: unknown;
  readonly stderr: unknown;
  write(destination: unknown, data: string): Promise<number>;
}

/**
 * Synchronous system calls a Bun executable may hand to {@link bunIo} instead of node:fs, which
 * costs a few milliseconds to load there (e.g. glibc through bun:ffi).
 */
export interface SyncFileCalls {
  /** One read(2); the skel loops, and stops after 4 MiB + 1 byte of stdin. */
  read: ReadSync;
  /** A stable identity (device and inode) of a path; throws when it cannot be stat'ed. */
  fileId(path: string): string;
}

/** Options of {@link bunIo}. */
export interface BunIoOptions {
  /** Loads the system calls on first use; undefined (or resolving to it) means node:fs. */
  sys?: () => Promise<SyncFileCalls | undefined>;
}

function stdinReader(sys: SyncFileCalls | undefined): () => Uint8Array {
  return () => readFdSync(0, MAX_STDIN_BYTES, sys?.read);
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
    readStdin: async () => readStdinSyncFirst(stdinReader(await sys()), () => bun.stdin.bytes()),
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
