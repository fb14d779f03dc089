/** Shared test helpers: temp stores, configs, and running the reference and our executables. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REFERENCE = '/usr/lib/cni/host-local';
export const BUN = resolve(PACKAGE_DIR, '../../node_modules/.bin/bun');

/** A temp directory removed by `cleanup()`. */
export function tempDir(prefix = 'hl-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A network config as a runtime would send it to the IPAM plugin (the bridge's whole config). */
export function netConf(
  ipam: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  cniVersion = '1.0.0',
): Record<string, unknown> {
  return {
    cniVersion,
    name: 'net1',
    type: 'bridge',
    ipam: { type: 'host-local', ...ipam },
    ...extra,
  };
}

/** The CNI_* variables of one call. */
export function cniEnv(
  command: string,
  containerId = '',
  ifName = '',
  args = '',
): Record<string, string> {
  return {
    CNI_COMMAND: command,
    CNI_CONTAINERID: containerId,
    CNI_NETNS: containerId ? '/var/run/netns/unused' : '',
    CNI_IFNAME: ifName,
    CNI_ARGS: args,
    CNI_PATH: '/usr/lib/cni',
  };
}

/** What an executable printed and how it ended. */
export interface ExecOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** Runs an executable with the CNI env (nothing else inherited but PATH) and stdin. */
export function runExecutable(
  argv: readonly string[],
  env: Record<string, string>,
  stdin: unknown,
): Promise<ExecOutcome> {
  return new Promise((resolvePromise, reject) => {
    const [cmd, ...args] = argv as [string, ...string[]];
    const child = spawn(cmd, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      cwd: PACKAGE_DIR,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      let json: unknown;
      try {
        json = stdout.trim() === '' ? undefined : JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolvePromise({ code, stdout, stderr, json });
    });
    child.stdin.end(typeof stdin === 'string' ? stdin : JSON.stringify(stdin));
  });
}

/** Debian's host-local 1.1.1. */
export const runReference = (env: Record<string, string>, stdin: unknown): Promise<ExecOutcome> =>
  runExecutable([REFERENCE], env, stdin);

/**
 * Compiles the single executable from the sources into `dir` as the build does (bun entry,
 * Bun io, ffi flock) and returns its path. Takes a few seconds: call it once per file.
 */
export async function compileExecutable(dir: string): Promise<string> {
  const out = join(dir, 'host-local');
  const flags = [
    '--compile',
    '--bytecode',
    '--minify',
    '--format=esm',
    '--conditions=@cnikit/source',
  ];
  const entry = join(PACKAGE_DIR, 'src/bun-entry.ts');
  const build = await runExecutable([BUN, 'build', ...flags, entry, '--outfile', out], {}, '');
  if (build.code !== 0) throw new Error(`bun build failed: ${build.stderr}`);
  return out;
}

/** Every file of a store directory with its bytes (the lock file's content is always empty). */
export function storeSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    if (statSync(join(dir, name)).isFile()) out[name] = readFileSync(join(dir, name), 'latin1');
  }
  return out;
}

export const referenceAvailable = (() => {
  try {
    return statSync(REFERENCE).isFile();
  } catch {
    return false;
  }
})();
