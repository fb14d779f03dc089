/** Reads a host-local IPAM data directory: every file's contents by relative path. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Relative path (`<network>/<ip>`) → contents; an absent directory reads as empty. */
export function readStore(dataDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else out[relative(dataDir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dataDir);
  return out;
}
