/** Shared bits of the runners: how a failed start and a signal death are reported. */
import { constants } from 'node:os';

/** The error a runner rejects with when a program cannot be started (`code` e.g. 'ENOENT'). */
export function spawnFailure(file: string, code: string | undefined, cause: unknown): Error {
  const err = new Error(`cannot start ${file}: ${code ?? 'unknown error'}`, { cause }) as Error & {
    code?: string;
  };
  err.code = code ?? 'UNKNOWN';
  return err;
}

/** The shell convention for a child killed by a signal: 128 + the signal number. */
export function signalExitCode(signal: string | null | undefined): number {
  if (!signal) return -1;
  const n = (constants.signals as Record<string, number | undefined>)[signal];
  return n === undefined ? -1 : 128 + n;
}
