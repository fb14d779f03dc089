/** The default runner (netops' spawn runner; no root needed: it runs sh). */
import { describe, expect, it } from 'vitest';
import { defaultRunner } from '../src/index.ts';
import { spawnRunner } from '@cnikit/netops';

describe('defaultRunner', () => {
  it('feeds stdin and reports output and any exit code', async () => {
    const r = await defaultRunner(['sh', '-c', 'cat; echo oops >&2; exit 3'], { input: 'hello' });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'hello', stderr: 'oops\n' });
    expect(r.argv).toEqual(['sh', '-c', 'cat; echo oops >&2; exit 3']);
  });

  it('passes extra environment variables', async () => {
    const r = await defaultRunner(['sh', '-c', 'printf %s "$CNIKIT_X"'], {
      env: { CNIKIT_X: 'y' },
    });
    expect(r.stdout).toBe('y');
  });

  it('rejects when the program cannot be started', async () => {
    await expect(defaultRunner(['/nonexistent/cnikit-binary'])).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('marks a child killed for its timeout', async () => {
    const r = await defaultRunner(['sleep', '5'], { timeoutMs: 50 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).not.toBe(0);
  });

  it("is netops' spawn runner, which prefixes nsenter for a namespace", () => {
    expect(defaultRunner).toBe(spawnRunner);
  });
});
