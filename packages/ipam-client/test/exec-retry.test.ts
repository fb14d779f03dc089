import type { RunResult } from '@cnikit/netops';
import { describe, expect, it } from 'vitest';
import { isTextFileBusy, spawnWithRetry } from '../src/exec-retry.ts';
import type { PluginSpawner } from '../src/spawn-plugin.ts';
import { isIpamError } from '../src/errors.ts';

const ok: RunResult = { argv: ['/p'], exitCode: 0, stdout: '', stderr: '' };
const busy = (): Error => Object.assign(new Error('spawn /p ETXTBSY'), { code: 'ETXTBSY' });
const run = { input: new Uint8Array(), env: {}, timeoutMs: 1000 };

/** A spawner that fails with `errors` in turn, then succeeds; counts its calls. */
function scripted(errors: Error[]): PluginSpawner & { calls: number } {
  const spawner = Object.assign(
    (): Promise<RunResult> => {
      spawner.calls += 1;
      const next = errors.shift();
      return next ? Promise.reject(next) : Promise.resolve(ok);
    },
    { calls: 0 },
  );
  return spawner;
}

describe('spawnWithRetry', () => {
  it('retries text file busy and then succeeds', async () => {
    const spawner = scripted([busy(), busy()]);
    await expect(spawnWithRetry(spawner, ['/p'], run, { retries: 5, delayMs: 1 })).resolves.toBe(
      ok,
    );
    expect(spawner.calls).toBe(3);
  });

  it('gives up after the allowed retries', async () => {
    const spawner = scripted(Array.from({ length: 10 }, busy));
    const err: unknown = await spawnWithRetry(spawner, ['/p'], run, {
      retries: 5,
      delayMs: 1,
    }).catch((e: unknown) => e);
    expect(spawner.calls).toBe(6);
    expect(isIpamError(err, 'spawn')).toBe(true);
    expect((err as Error).message).toBe(
      'failed to start plugin /p: spawn /p ETXTBSY (tried 6 times)',
    );
  });

  it('does not retry other start failures', async () => {
    const spawner = scripted([Object.assign(new Error('spawn /p EACCES'), { code: 'EACCES' })]);
    await expect(spawnWithRetry(spawner, ['/p'], run, { retries: 5, delayMs: 1 })).rejects.toThrow(
      'failed to start plugin /p: spawn /p EACCES',
    );
    expect(spawner.calls).toBe(1);
  });

  it('recognises ETXTBSY by code or by message', () => {
    expect(isTextFileBusy({ code: 'ETXTBSY' })).toBe(true);
    expect(isTextFileBusy(new Error('fork/exec /p: text file busy'))).toBe(true);
    expect(isTextFileBusy(new Error('permission denied'))).toBe(false);
    expect(isTextFileBusy('ETXTBSY')).toBe(false);
  });
});
