/**
 * The Go reference retries a plugin exec that fails with "text file busy" (ETXTBSY: the binary is
 * still open for writing, typically while it is being installed), 5 times, 1 s apart.
 */
import type { RunResult } from '@cnikit/netops';
import { IpamError } from './errors.js';
import type { PluginRun, PluginSpawner } from './spawn-plugin.js';

/** How often and how patiently to retry ETXTBSY. */
export interface RetryPolicy {
  retries: number;
  delayMs: number;
}

/** The reference's policy. */
export const TEXT_FILE_BUSY_RETRY: RetryPolicy = Object.freeze({ retries: 5, delayMs: 1000 });

/** Runs argv, retrying while the start fails with ETXTBSY; other start failures are thrown. */
export async function spawnWithRetry(
  spawner: PluginSpawner,
  argv: readonly string[],
  run: PluginRun,
  policy: RetryPolicy = TEXT_FILE_BUSY_RETRY,
): Promise<RunResult> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await spawner(argv, run);
    } catch (err) {
      const busy = isTextFileBusy(err);
      if (busy && attempt < policy.retries) {
        await new Promise((resolve) => setTimeout(resolve, policy.delayMs));
        continue;
      }
      const why = err instanceof Error ? err.message : String(err);
      const tries = busy ? ` (tried ${attempt + 1} times)` : '';
      throw new IpamError('spawn', `failed to start plugin ${argv[0] ?? ''}: ${why}${tries}`, {
        cause: err,
      });
    }
  }
}

/** ETXTBSY by errno code, or by message for runners that only keep the text (Bun, Go-like). */
export function isTextFileBusy(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return code === 'ETXTBSY' || (typeof message === 'string' && /text file busy/i.test(message));
}
