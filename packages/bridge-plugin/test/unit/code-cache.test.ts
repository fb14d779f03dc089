/**
 * The Node entry's code cache (src/code-cache.ts): CommonJS files compiled and run as `require`
 * would, a cache made after a run accepted by the next compile, a foreign one refused without
 * harm, and the start falling back to `require` when this V8 has no cache.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  codeCachePath,
  compileCommonJs,
  runCommonJs,
  startFromCodeCache,
} from '../../src/code-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'cnikit-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CommonJS file that reports its bindings and can throw from a known line. */
const SOURCE = `#!/usr/bin/env node
exports.where = { file: __filename, dir: __dirname, self: this === module.exports };
exports.path = require('./helper.cjs');
exports.fail = () => {
  throw new Error('line 5');
};
globalThis.cnikitCodeCacheRuns = (globalThis.cnikitCodeCacheRuns ?? 0) + 1;
`;
const file = join(dir, 'main.cjs');
writeFileSync(file, SOURCE);
writeFileSync(join(dir, 'helper.cjs'), 'module.exports = __filename;\n');
const requireHere = createRequire(file);

interface Exports {
  where: { file: string; dir: string; self: boolean };
  path: string;
  fail: () => never;
}

describe('code cache', () => {
  it('names the cache after the V8 version and architecture', () => {
    expect(codeCachePath('/x/node-main.cjs', '11.3.244.8-node.38', 'x64')).toBe(
      '/x/node-main.cjs.v8-11.3.244.8-node.38-x64.cache',
    );
    expect(codeCachePath('/x/m.cjs')).toBe(
      `/x/m.cjs.v8-${process.versions.v8}-${process.arch}.cache`,
    );
  });

  it('runs a CommonJS file with the bindings require gives it', () => {
    const exports = runCommonJs(compileCommonJs(SOURCE, file), file, requireHere) as Exports;
    expect(exports.where).toEqual({ file, dir, self: true });
    expect(exports.path).toBe(join(dir, 'helper.cjs'));
    // The shebang line stays a line: stack traces point at the file's own line numbers.
    expect(() => exports.fail()).toThrow('line 5');
    try {
      exports.fail();
    } catch (err) {
      expect((err as Error).stack).toContain(`${file}:5:`);
    }
  });

  it('compiles from a cache made after a run, and refuses a foreign one harmlessly', () => {
    const first = compileCommonJs(SOURCE, file);
    runCommonJs(first, file, requireHere);
    const cache = first.createCachedData();
    // Other file names: V8 would otherwise take the script from this process's own cache and
    // never look at the data given.
    const againFile = join(dir, 'again.cjs');
    const again = compileCommonJs(SOURCE, againFile, cache);
    expect(again.cachedDataRejected).toBe(false);
    expect((runCommonJs(again, againFile, requireHere) as Exports).where.file).toBe(againFile);

    const foreignFile = join(dir, 'foreign.cjs');
    const foreign = compileCommonJs(SOURCE, foreignFile, Buffer.from('not a V8 code cache'));
    expect(foreign.cachedDataRejected).toBe(true);
    expect((runCommonJs(foreign, foreignFile, requireHere) as Exports).path).toBe(
      join(dir, 'helper.cjs'),
    );
  });

  it('starts from the cache when this V8 has one, else by require', () => {
    const runs = (): number =>
      (globalThis as { cnikitCodeCacheRuns?: number }).cnikitCodeCacheRuns ?? 0;
    const before = runs();
    expect(startFromCodeCache(file, requireHere)).toBe(false);
    expect(runs()).toBe(before + 1);

    const script = compileCommonJs(SOURCE, file);
    runCommonJs(script, file, requireHere);
    writeFileSync(codeCachePath(file), script.createCachedData());
    expect(startFromCodeCache(file, requireHere)).toBe(true);
    expect(runs()).toBe(before + 3);
  });
});
