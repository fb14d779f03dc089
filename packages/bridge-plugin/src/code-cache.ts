/**
 * The Node entry's V8 code cache. A call compiles much of the bundle it runs (V8 compiles each
 * function when first called): ~10 ms of a Node ADD here. The build runs the bundle once
 * (scripts/train-code-cache.mjs, an ADD that stops at its netns check, so it touches nothing) and
 * keeps V8's code for what ran; the bin then starts from it. V8 accepts a cache only from its own
 * version and flags: the file is named after the V8 version and architecture that made it, a Node
 * with another V8 loads the bundle by `require` as before, and a cache refused anyway (other V8
 * flags) costs the compile it would have cost.
 */
import type { Module, Script } from 'node:vm';

/** What follows a bundle's name in the name of each of its caches. */
export const CODE_CACHE_MARK = '.v8-';

/** Where the cache of `bundle` made by this V8 (or the given one) is kept. */
export function codeCachePath(
  bundle: string,
  v8: string = process.versions.v8,
  arch: string = process.arch,
): string {
  return `${bundle}${CODE_CACHE_MARK}${v8}-${arch}.cache`;
}

/** CommonJS's function wrapper: the bundle sees the bindings it has under `require`. */
const wrap = (source: string): string =>
  `(function (exports, require, module, __filename, __dirname) {${
    // A shebang line is a comment to the wrapper (same length, so line numbers hold).
    source.startsWith('#!') ? `//${source.slice(2)}` : source
  }\n})`;

const importFromHere = (specifier: string): Promise<Module> => import(specifier) as Promise<Module>;

/** Compiles `source` (a CommonJS file) as `require` would, from `cachedData` when given. */
export function compileCommonJs(source: string, filename: string, cachedData?: Buffer): Script {
  const { Script } = process.getBuiltinModule('node:vm');
  return new Script(wrap(source), {
    filename,
    cachedData,
    // `import()` in the bundle (none on the bin's path) resolves from here, as in any CommonJS
    // file. A function, not vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER: that one loads Node's
    // ESM loader up front.
    importModuleDynamically: importFromHere,
  });
}

type CommonJsBody = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

/**
 * Runs a file compiled by {@link compileCommonJs} and returns its exports. `require` is one that
 * resolves from the file's directory (the caller's own when it lives there: node:module's
 * createRequire would load Node's ESM loader).
 */
export function runCommonJs(script: Script, filename: string, require: NodeJS.Require): unknown {
  const module = { exports: {} };
  const body = script.runInThisContext() as CommonJsBody;
  const dirname = filename.slice(0, filename.lastIndexOf('/')) || '/';
  body.call(module.exports, module.exports, require, module, filename, dirname);
  return module.exports;
}

/**
 * Starts `bundle` (an absolute path) from its code cache when this V8 made one, else by `require`
 * (see runCommonJs). Returns whether the cache was used.
 */
export function startFromCodeCache(bundle: string, require: NodeJS.Require): boolean {
  const { readFileSync } = process.getBuiltinModule('node:fs');
  let cachedData: Buffer;
  try {
    cachedData = readFileSync(codeCachePath(bundle));
  } catch {
    require(bundle);
    return false;
  }
  const script = compileCommonJs(readFileSync(bundle, 'utf8'), bundle, cachedData);
  runCommonJs(script, bundle, require);
  return !script.cachedDataRejected;
}
