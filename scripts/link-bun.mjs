// npm 11 blocks dependency install scripts, so bun's own postinstall (which puts the platform
// binary in place of the node_modules/bun/bin/bun.exe stub) never runs. This root postinstall does
// that one step without running bun's script: it links the stub to the binary that npm installed
// from the optional platform package (@oven/bun-linux-x64 or its -baseline variant).
import { existsSync, lstatSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stubDir = join(root, 'node_modules', 'bun', 'bin');
const candidates = ['bun-linux-x64', 'bun-linux-x64-baseline', 'bun-linux-aarch64'].map((name) =>
  join(root, 'node_modules', '@oven', name, 'bin', 'bun'),
);
const binary = candidates.find((file) => existsSync(file));

if (!existsSync(stubDir)) {
  // bun is a devDependency: absent in production installs, nothing to do.
} else if (!binary) {
  console.warn('link-bun: no bun platform binary under node_modules/@oven; bun builds will fail');
} else {
  for (const name of ['bun.exe', 'bunx.exe']) {
    const stub = join(stubDir, name);
    const target = relative(stubDir, binary);
    const linked =
      existsSync(stub) && lstatSync(stub).isSymbolicLink() && readlinkSync(stub) === target;
    if (linked) continue;
    rmSync(stub, { force: true });
    symlinkSync(target, stub);
  }
}
