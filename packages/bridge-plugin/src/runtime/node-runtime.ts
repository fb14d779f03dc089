/**
 * The Node implementation of {@link BridgeRuntime}: node:fs, node:crypto, and netops' runner on
 * node:child_process (lighter to load than execa), used for every child including IPAM.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readFile, statfs, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { spawnRunner } from '@cnikit/netops';
import type { BridgeRuntime } from './runtime.js';
import { searchPath } from './search-path.js';

/** The runtime used by the npm bin and by library callers that pass nothing. */
export function nodeRuntime(
  env: Readonly<Record<string, string | undefined>> = process.env,
): BridgeRuntime {
  return {
    runner: spawnRunner,
    readSysctl: (key) => readFile(`/proc/sys/${key}`, 'utf8'),
    writeSysctl: (key, value) => writeFile(`/proc/sys/${key}`, value),
    statfsType: async (path) => (await statfs(path)).type,
    randomBytes: (n) => randomBytes(n),
    sha512Hex: (text) => createHash('sha512').update(text).digest('hex'),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    hasExecutable: async (name) => {
      for (const dir of searchPath(env.PATH, delimiter)) {
        try {
          await access(join(dir, name), constants.X_OK);
          return true;
        } catch {
          // Not in this directory.
        }
      }
      return false;
    },
    stderr: process.stderr,
  };
}
