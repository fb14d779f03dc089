// Second half of `npm run build` (after tsc): makes dist/cli.js executable (the npm bin) and
// compiles the bun single executable dist/host-local from the sources.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The bun of the workspace (node_modules/.bin/bun up the tree), else bun on PATH. */
function findBun() {
  for (let dir = pkg; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', 'bun');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return 'bun';
  }
}

const cli = join(pkg, 'dist', 'cli.js');
if (!readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')) {
  throw new Error(`${cli} lost its shebang line`);
}
chmodSync(cli, 0o755);

// --bytecode needs --format=esm on bun 1.4.5 for the entry's top-level await. A plugin must not
// read .env or bunfig.toml from the runtime's working directory, and one short call gains nothing
// from tiering up to the optimizing JITs (their compile threads only add CPU time).
const args = [
  'build',
  '--compile',
  '--bytecode',
  '--minify',
  '--no-compile-autoload-dotenv',
  '--no-compile-autoload-bunfig',
  '--compile-jit-policy=100',
  '--format=esm',
  '--conditions=@cnikit/source',
  join(pkg, 'src', 'bun-entry.ts'),
  '--outfile',
  join(pkg, 'dist', 'host-local'),
];
const run = spawnSync(findBun(), args, { stdio: 'inherit' });
if (run.status !== 0) {
  throw new Error(`bun build failed (${run.error?.message ?? `exit ${run.status}`})`);
}
