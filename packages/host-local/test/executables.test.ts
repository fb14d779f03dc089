/** The built artifacts: the npm bin dist/cli.js (Node) and the single executable dist/host-local. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cniEnv, netConf, PACKAGE_DIR, runExecutable, storeSnapshot, tempDir } from './helpers.js';

const artifacts = {
  'dist/cli.js (Node)': join(PACKAGE_DIR, 'dist/cli.js'),
  'dist/host-local (bun)': join(PACKAGE_DIR, 'dist/host-local'),
};
const built = Object.values(artifacts).every((file) => existsSync(file));

describe.skipIf(!built)('built executables (run `npm run build` first)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('hl-exe-run-');
  });
  afterEach(() => tmp.cleanup());

  it.each(Object.entries(artifacts))(
    '%s is executable and serves a 1.1.0 network',
    async (_, file) => {
      expect(statSync(file).mode & 0o111).toBe(0o111);
      const version = await runExecutable([file], { CNI_COMMAND: 'VERSION' }, '');
      expect(version.json).toMatchObject({ cniVersion: '1.1.0' });
      const conf = netConf({ dataDir: tmp.dir, subnet: '10.79.0.0/24' }, {}, '1.1.0');
      const add = await runExecutable([file], cniEnv('ADD', 'x1', 'eth0'), conf);
      expect([add.code, add.json]).toEqual([
        0,
        { cniVersion: '1.1.0', ips: [{ address: '10.79.0.2/24', gateway: '10.79.0.1' }] },
      ]);
      expect((await runExecutable([file], cniEnv('STATUS'), conf)).code).toBe(0);
      const gc = await runExecutable([file], cniEnv('GC'), {
        ...conf,
        'cni.dev/valid-attachments': [],
      });
      expect(gc.code).toBe(0);
      expect(Object.keys(storeSnapshot(join(tmp.dir, 'net1')))).toEqual([
        'last_reserved_ip.0',
        'lock',
      ]);
    },
  );
});
