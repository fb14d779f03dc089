/** Shared bits of the runners: how a failed start and a signal death are reported. */

/** The error a runner rejects with when a program cannot be started (`code` e.g. 'ENOENT'). */
export function spawnFailure(file: string, code: string | undefined, cause: unknown): Error {
  const err = new Error(`cannot start ${file}: ${code ?? 'unknown error'}`, { cause }) as Error & {
    code?: string;
  };
  err.code = code ?? 'UNKNOWN';
  return err;
}

/**
 * The shell convention for a child killed by a signal: 128 + the signal number. `signals` is
 * node:os `constants.signals`, which the runners load with their spawner, on first use.
 */
export function signalExitCode(
  signal: string | null | undefined,
  signals: Readonly<Record<string, number | undefined>>,
): number {
  if (!signal) return -1;
  const n = signals[signal];
  return n === undefined ? -1 : 128 + n;
}
