/**
 * The plugin's io on Bun's own stdin, stdout and stderr, for a `bun build --compile` executable:
 * cheaper to start than Node's streams. Structurally typed, so the package needs no Bun types.
 */
import type { PluginIo } from './io.js';

/** The members of the `Bun` global that {@link bunIo} uses. */
export interface BunStdio {
  readonly stdin: { bytes(): Promise<Uint8Array> };
  readonly stdout: unknown;
  readonly stderr: unknown;
  write(destination: unknown, data: string): Promise<number>;
}

/** A {@link PluginIo} on `Bun.stdin`, `Bun.stdout` and `Bun.stderr`, with the given environment. */
export function bunIo(bun: BunStdio, env: Record<string, string | undefined>): PluginIo {
  return {
    env,
    readStdin: () => bun.stdin.bytes(),
    writeStdout: async (text) => {
      await bun.write(bun.stdout, text);
    },
    writeStderr: (text) => {
      void bun.write(bun.stderr, text);
    },
  };
}
