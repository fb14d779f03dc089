/**
 * Finding a delegated plugin on CNI_PATH the way the Go reference does: the first regular file
 * named `<dir>/<name>`, symlinks followed, the exec bit not checked (a file that cannot be run
 * fails later, at exec, with a clearer error). By default a candidate is checked with node:fs
 * (loaded on first use); a runtime with a cheaper stat (a Bun executable) passes its own check.
 */
import { IpamError } from './errors.js';

/** Tells whether a path names a regular file (symlinks followed); false when it cannot be stat'ed. */
export type IsRegularFile = (path: string) => boolean | Promise<boolean>;

/** Splits a CNI_PATH value on ':' (Linux); empty entries are dropped rather than meaning ".". */
export function splitCniPath(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  return value.split(':').filter((dir) => dir !== '');
}

/**
 * Resolves `name` to `<dir>/<name>` in the first of `paths` holding a regular file of that name.
 *
 * @throws {@link IpamError} (reason `lookup`, code 999): `no plugin name provided`,
 * `invalid plugin name: X` (a '/' or NUL in it), `no paths provided`, or
 * `failed to find plugin "X" in path [dir1 dir2]`.
 */
export async function findPlugin(
  name: string,
  paths: readonly string[],
  isRegularFile: IsRegularFile = statIsFile,
): Promise<string> {
  if (name === '') throw new IpamError('lookup', 'no plugin name provided');
  if (name.includes('/') || name.includes('\0'))
    throw new IpamError('lookup', `invalid plugin name: ${name}`);
  const dirs = paths.filter((dir) => dir !== '');
  if (dirs.length === 0) throw new IpamError('lookup', 'no paths provided');
  for (const dir of dirs) {
    const candidate = inDir(dir, name);
    if (await isRegularFile(candidate)) return candidate;
  }
  // Go prints the list with %s: "[a b]".
  throw new IpamError('lookup', `failed to find plugin "${name}" in path [${dirs.join(' ')}]`);
}

function statIsFile(file: string): boolean {
  const { statSync } = process.getBuiltinModule('node:fs');
  try {
    // Synchronous: a few microseconds, where a thread-pool round trip costs far more.
    return statSync(file).isFile();
  } catch {
    // Missing, unreadable directory, dangling symlink, bad path: all mean "not here".
    return false;
  }
}

/** `dir/name` as path.join writes it for a plain name (node:path is not worth loading for this). */
function inDir(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir.replace(/\/+$/, '')}/${name}` : `${dir}/${name}`;
}
