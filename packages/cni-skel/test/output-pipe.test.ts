/**
 * Checklist E.36 (cni-spec.md §8): a big result written to a slowly read pipe arrives complete with
 * the right exit code. This runs the real default io in a child `node` process, so the skel's
 * sources are transpiled to a temp directory first (Node 20 cannot run TypeScript).
 */
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, '..', 'src');
const rootNodeModules = join(here, '..', '..', '..', 'node_modules');
let outDir = '';

function transpileTree(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) {
      transpileTree(source, join(to, entry.name));
    } else if (entry.name.endsWith('.ts')) {
      const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
        fileName: relative(srcDir, source),
      });
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, entry.name.replace(/\.ts$/, '.js')), outputText);
    }
  }
}

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'cnikit-skel-pipe-'));
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  // zod/mini is resolved from the workspace's node_modules.
  symlinkSync(rootNodeModules, join(outDir, 'node_modules'));
  transpileTree(srcDir, join(outDir, 'skel'));
});

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface ChildOutcome {
  exitCode: number | null;
  stdout: Buffer;
  stderr: string;
  chunks: number;
}

/**
 * The plugin's stdout made blocking or non-blocking (O_NONBLOCK) before it starts, by perl (always
 * on Debian: perl-base is essential) execing it. A plugin can get either kind (from its runtime,
 * or from its own code: touching `process.stdout` makes Node set a pipe non-blocking), and a full
 * non-blocking one refuses writes with EAGAIN.
 */
function withStdout(mode: 'blocking' | 'nonblocking', argv: string[]): string[] {
  const flags = mode === 'nonblocking' ? '$flags | O_NONBLOCK' : '$flags & ~O_NONBLOCK';
  return [
    'perl',
    '-MFcntl',
    '-e',
    `my $flags = fcntl(STDOUT, F_GETFL, 0) or die "fcntl: $!"; ` +
      `fcntl(STDOUT, F_SETFL, ${flags}) or die "fcntl: $!"; exec @ARGV or die "exec: $!"`,
    ...argv,
  ];
}

/** Runs the fixture plugin and reads its stdout one chunk at a time with pauses in between. */
function runSlowly(mode: 'blocking' | 'nonblocking'): Promise<ChildOutcome> {
  const script = join(here, 'fixtures', 'big-result-plugin.mjs');
  const entry = pathToFileURL(join(outDir, 'skel', 'index.js')).href;
  const argv = withStdout(mode, [process.execPath, script, entry]);
  const child = spawn(argv[0]!, argv.slice(1), {
    env: {
      CNI_COMMAND: 'ADD',
      CNI_CONTAINERID: 'ctr1',
      CNI_NETNS: '/var/run/netns/t1',
      CNI_IFNAME: 'eth0',
      CNI_PATH: '/opt/cni/bin',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end('{"cniVersion":"1.1.0","name":"testnet","type":"big"}');
  const parts: Buffer[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    parts.push(chunk);
    // A slow reader: the pipe fills up and the writer has to wait for us.
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 15);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) =>
      resolve({ exitCode, stdout: Buffer.concat(parts), stderr, chunks: parts.length }),
    );
  });
}

function expectComplete(out: ChildOutcome): void {
  expect(out.stderr).toBe('');
  expect(out.exitCode).toBe(0);
  expect(out.stdout.length).toBeGreaterThan(800 * 1024);
  // More than one read: the output really went through the pipe in pieces.
  expect(out.chunks).toBeGreaterThan(1);
  const text = out.stdout.toString('utf8');
  expect(text.endsWith('}\n')).toBe(true);
  const result = JSON.parse(text) as { routes: unknown[]; ips: unknown[] };
  expect(result.routes).toHaveLength(20000);
  expect(result.routes[19999]).toEqual({ dst: '10.78.31.0/24', gw: '10.255.255.1' });
}

describe('E.36 output completeness', () => {
  it('a ~900 KB result read slowly through a blocking pipe arrives complete, exit 0', async () => {
    expectComplete(await runSlowly('blocking'));
  });

  it('also through a non-blocking one (what a full one refuses goes through the stream)', async () => {
    expectComplete(await runSlowly('nonblocking'));
  });
});
