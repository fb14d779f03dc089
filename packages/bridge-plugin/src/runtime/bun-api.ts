/**
 * The few Bun APIs the executable uses, declared here so the package needs no Bun type package.
 * Only the Bun entry touches them, and only when running under Bun.
 */

/** A spawned Bun subprocess. */
export interface BunSubprocess {
  readonly pid: number;
  /** Present with `stdin: 'pipe'`. */
  readonly stdin: { write(data: Uint8Array): unknown; end(): unknown } | null;
  /** A stream with `stdout: 'pipe'`, the given descriptor otherwise. */
  readonly stdout: ReadableStream<Uint8Array> | number;
  readonly stderr: ReadableStream<Uint8Array> | number;
  readonly exited: Promise<number>;
  readonly signalCode: string | null;
  kill(signal?: number | string): void;
}

/** The subset of the `Bun` global used by the executable. */
export interface BunApi {
  spawn(
    argv: string[],
    options: {
      stdin?: Uint8Array | 'ignore' | 'pipe';
      /** `'pipe'`, or a descriptor the child gets as its own. */
      stdout?: 'pipe' | number;
      stderr?: 'pipe' | number;
      env?: Record<string, string | undefined>;
    },
  ): BunSubprocess;
  write(destination: unknown, data: string | Uint8Array): Promise<number>;
  readonly stdout: unknown;
  readonly stderr: unknown;
  readonly stdin: { bytes(): Promise<Uint8Array> };
  which(command: string, options?: { PATH?: string }): string | null;
  CryptoHasher: new (algorithm: string) => {
    update(data: string): { digest(encoding: 'hex'): string };
  };
}

/** The `Bun` global, when running under Bun. */
export const bunGlobal = (): BunApi | undefined => (globalThis as unknown as { Bun?: BunApi }).Bun;
