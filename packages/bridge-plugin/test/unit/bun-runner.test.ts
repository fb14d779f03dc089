/**
 * The Bun executable's runner (bun-runtime.ts) under `bun`: with glibc it hands children memory
 * files for stdout and stderr, read once they exit, and must return what pipes would, without the
 * helper threads Bun reads pipes with. Unprivileged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BUN = join(import.meta.dirname, '../../../../node_modules/.bin/bun');
const PROBE = join(import.meta.dirname, 'bun-runner-probe.ts');

interface Seen {
  results: Record<string, unknown>;
  threads: string[];
}

describe('the Bun runner', () => {
  // Bundled first, as in the executable: bun's TypeScript loader starts the pool threads itself.
  const dir = mkdtempSync(join(tmpdir(), 'cnikit-bun-runner-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'probe.js');
  execFileSync(
    BUN,
    ['build', '--target=bun', '--conditions=@cnikit/source', PROBE, '--outfile', bundle],
    {
      stdio: 'ignore',
    },
  );
  const probe = (mode: 'files' | 'pipes'): Seen =>
    JSON.parse(execFileSync(BUN, [bundle, mode], { encoding: 'utf8' })) as Seen;
  const files = probe('files');
  const pipes = probe('pipes');

  it("returns children's output, status, input and environment through memory files", () => {
    expect(files.results.both).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(files.results.input).toMatchObject({ exitCode: 0, stdout: 'from stdin and more\n' });
    expect(files.results.env).toMatchObject({ stdout: 'given\n' });
    expect(files.results.large).toEqual({ exitCode: 0, length: 200_000 });
    expect(files.results.killed).toMatchObject({
      exitCode: 137,
      stdout: 'started\n',
      timedOut: true,
    });
    expect(files.results.missing).toBe('ENOENT');
    expect(files.results.concurrent).toEqual([
      { exitCode: 0, stdout: 'one\n', stderr: '' },
      { exitCode: 0, stdout: '', stderr: 'two\n' },
    ]);
  });

  it('returns what pipes return', () => {
    expect(files.results).toEqual(pipes.results);
  });

  it('starts no pipe-reading threads (pipes do)', () => {
    expect(files.threads.filter((t) => t.startsWith('Bun Pool'))).toEqual([]);
    expect(pipes.threads.filter((t) => t.startsWith('Bun Pool')).length).toBeGreaterThan(0);
  });
});
