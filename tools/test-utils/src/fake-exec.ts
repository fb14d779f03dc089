/**
 * Fake executables for tests: small shell scripts written into a temp directory that tests put on
 * PATH or CNI_PATH, in the manner of execa's fixtures directory.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp directory of fake executables, removed by `cleanup()`. */
export class FakeBinDir {
  readonly dir: string;

  constructor(prefix = 'cnikit-fake-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  /** Writes an executable `name` with the given shell script body (a `#!/bin/sh` line is added). */
  add(name: string, script: string): string {
    const file = join(this.dir, name);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /** A path to a file inside the directory (for recordings). */
  file(name: string): string {
    return join(this.dir, name);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
