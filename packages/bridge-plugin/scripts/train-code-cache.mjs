// Build step: writes the V8 code cache of dist/node-main.cjs for the Node running this (see
// src/code-cache.ts). It runs the bundle once, in a child with a fixed environment (no
// NODE_OPTIONS: V8 flags must match those of a plain `node`), as an ADD whose netns does not
// exist: the config is decoded and checked, then the ADD fails before any system call that
// changes something, and the child writes V8's code for what ran.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import {
  CODE_CACHE_MARK,
  codeCachePath,
  compileCommonJs,
  runCommonJs,
} from '../dist/code-cache.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const bundle = join(dist, 'node-main.cjs');
const cache = codeCachePath(bundle);

if (process.argv[2] === '--child') {
  const { readFileSync } = await import('node:fs');
  const script = compileCommonJs(readFileSync(bundle, 'utf8'), bundle);
  process.on('exit', () => writeFileSync(cache, script.createCachedData()));
  runCommonJs(script, bundle, createRequire(bundle));
} else {
  // Caches of other V8 versions are stale once the bundle changes.
  for (const name of readdirSync(dist))
    if (name.startsWith(`node-main.cjs${CODE_CACHE_MARK}`)) rmSync(join(dist, name));
  const empty = mkdtempSync(join(tmpdir(), 'cnikit-train-'));
  try {
    const conf = {
      cniVersion: '1.0.0',
      name: 'training',
      type: 'bridge',
      bridge: 'cni0',
      isGateway: true,
      ipMasq: true,
      ipam: { type: 'host-local', subnet: '10.22.0.0/16' },
    };
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], {
      input: JSON.stringify(conf),
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        CNI_COMMAND: 'ADD',
        CNI_CONTAINERID: 'training',
        CNI_NETNS: join(empty, 'no-such-netns'),
        CNI_IFNAME: 'eth0',
        CNI_PATH: empty,
      },
    });
    // The expected failure, and nothing else: anything different means the run went elsewhere.
    if (run.status !== 1 || !run.stdout.includes('failed to open netns'))
      throw new Error(`training run: exit ${run.status}\n${run.stdout}${run.stderr}`);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  process.stdout.write(`code cache: ${cache} (${statSync(cache).size} bytes)\n`);
}
