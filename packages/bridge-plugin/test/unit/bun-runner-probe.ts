/**
 * Run by `bun` from bun-runner.test.ts: the Bun executable's runner, with the child's output in
 * memory files (argv[2] `files`) or pipes (`pipes`), on a few children; prints what each returned,
 * and the process's thread names at the end, as one JSON line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { RunOptions } from '@cnikit/netops';
import { bunGlobal } from '../../src/runtime/bun-api.js';
import { bunRunner } from '../../src/runtime/bun-runtime.js';
import { loadLibc } from '../../src/runtime/libc.js';

const bun = bunGlobal();
const libc = await loadLibc();
if (bun === undefined || libc === undefined) throw new Error('run this under bun, with glibc');
const run = bunRunner(
  bun,
  { PATH: '/usr/bin:/bin' },
  process.argv[2] === 'files' ? libc : undefined,
);

const sh = (script: string, options: RunOptions = {}) =>
  run(['sh', '-c', script], options).then(
    (r) => ({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut }),
    (err: Error & { code?: string }) => ({ error: err.code }),
  );

const results = {
  both: await sh('echo out; echo err >&2; exit 3'),
  input: await sh('cat; echo " and more"', { input: 'from stdin' }),
  env: await sh('echo "$CNIKIT_PROBE"', { env: { CNIKIT_PROBE: 'given' } }),
  // More than a pipe holds and than the first read buffer: every byte must come back.
  large: await sh('head -c 200000 /dev/zero | tr "\\0" x').then((r) =>
    'stdout' in r ? { exitCode: r.exitCode, length: r.stdout.length } : r,
  ),
  killed: await sh('echo started; exec sleep 5', { timeoutMs: 200 }),
  missing: await run(['/nonexistent/cnikit-program']).then(
    () => 'started',
    (err: Error & { code?: string }) => err.code,
  ),
  concurrent: await Promise.all([sh('echo one'), sh('echo two >&2')]),
};
const threads = readdirSync('/proc/self/task').map((t) =>
  readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim(),
);
console.log(JSON.stringify({ results, threads }));
