/**
 * Bun-only seams for the single executable (its stdin/stdout come from cni-skel's `bunIo`): a
 * store lock that calls flock(2) in-process through bun:ffi, so a lock costs no process at all. Nothing here runs on Node; the npm entry (cli.ts) keeps the portable defaults.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { HostLocalError, pathErrorText } from './errors.js';
import type { StoreLocker } from './lock.js';

/** The few members of the `Bun` global used here. */
export interface BunApi {
  readonly stdin: { bytes(): Promise<Uint8Array> };
  readonly stdout: unknown;
  readonly stderr: unknown;
  write(destination: unknown, data: string): Promise<number>;
}

interface FfiModule {
  dlopen(
    path: string,
    symbols: { flock: { args: number[]; returns: number } },
  ): { symbols: { flock(fd: number, operation: number): number } };
  FFIType: { i32: number };
}

/** flock(2) operation: exclusive lock, blocking. */
const LOCK_EX = 2;

/** The `Bun` global, or undefined when not running under Bun. */
export const bunGlobal = (): BunApi | undefined => (globalThis as { Bun?: BunApi }).Bun;

/**
 * A {@link StoreLocker} calling flock(2) through bun:ffi; undefined when libc cannot be opened
 * (the caller then keeps the flock command). It blocks the thread while it waits, which a
 * one-shot plugin process can afford, exactly as the reference blocks in the same system call.
 */
export async function ffiFlockLocker(libc = 'libc.so.6'): Promise<StoreLocker | undefined> {
  let flock: (fd: number, operation: number) => number;
  try {
    // A computed specifier keeps TypeScript from looking for bun's type declarations.
    const specifier: string = 'bun:ffi';
    const ffi = (await import(specifier)) as FfiModule;
    const lib = ffi.dlopen(libc, {
      flock: { args: [ffi.FFIType.i32, ffi.FFIType.i32], returns: ffi.FFIType.i32 },
    });
    flock = (fd, operation) => lib.symbols.flock(fd, operation);
  } catch {
    return undefined;
  }
  return (lockFile) => {
    let fd: number;
    try {
      fd = openSync(lockFile, constants.O_RDONLY | constants.O_CREAT, 0o750);
    } catch (error) {
      return Promise.reject(
        new HostLocalError('store', pathErrorText('open', lockFile, error), { cause: error }),
      );
    }
    if (flock(fd, LOCK_EX) !== 0) {
      closeSync(fd);
      return Promise.reject(new HostLocalError('lock', `failed to lock ${lockFile}`));
    }
    let held = true;
    return Promise.resolve({
      release: () => {
        if (held) closeSync(fd);
        held = false;
        return Promise.resolve();
      },
    });
  };
}
