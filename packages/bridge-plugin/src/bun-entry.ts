// The entry of the compiled executable (dist/bridge): the bridge plugin with Bun-native seams.
import { bunIo, runPlugin } from '@cnikit/cni-skel';
import { createBridgePlugin } from './plugin.js';
import { bunGlobal } from './runtime/bun-api.js';
import { bunRuntime } from './runtime/bun-runtime.js';
import { loadLibc } from './runtime/libc.js';
import { searchPath } from './runtime/search-path.js';

const bun = bunGlobal();
if (bun === undefined) throw new Error('this entry runs under Bun only; use cli.cjs on Node');
// A runtime may exec plugins without PATH: then the usual sbin/bin directories are searched. An
// empty entry (the working directory, to execvp) is dropped. The environment is copied only when
// PATH needs either: the copy costs start-up time, and so would splitting PATH.
const path = process.env.PATH ?? '';
const plainPath =
  path !== '' && !path.startsWith(':') && !path.endsWith(':') && !path.includes('::');
const env = plainPath
  ? process.env
  : { ...process.env, PATH: searchPath(process.env.PATH).join(':') };
// glibc through bun:ffi replaces node:fs (slow to load here); loaded when a command first needs it.
const runtime = async () => bunRuntime(bun, env, await loadLibc());
runPlugin(createBridgePlugin({ runtime }), bunIo(bun, env, { sys: loadLibc })).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
