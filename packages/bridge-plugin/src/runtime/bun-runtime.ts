/**
 * The Bun implementation of {@link BridgeRuntime} for the compiled executable: Bun.spawn for every
 * child (about 0.5 ms against 4-5 ms for node:child_process inside a Bun executable) with its
 * output in memory files, glibc's calls through bun:ffi (libc.ts) for /proc/sys, stat, statfs and
 * netlink sockets, Bun.CryptoHasher for SHA-512, Web Crypto for random bytes.
 */
import type { CommandRunner, RunOptions, RunResult } from '@cnikit/netops';
import type { BunApi, BunSubprocess } from './bun-api.js';
import type { Libc } from './libc.js';
import { enterNetns, NetnsEntryUnavailable, openNetlink, spawnInNetns } from './netns-spawn.js';
import type { BridgeRuntime } from './runtime.js';
import { searchPath } from './search-path.js';

const nodeFs = () => import('node:fs');

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGPIPE: 13 };

/** The calls that let a child write its output into memory files instead of pipes. */
export type OutputFiles = Pick<Libc, 'memfd' | 'readFromStart' | 'close'>;

/**
 * A CommandRunner on Bun.spawn. With `netns`, the child is started inside the namespace directly
 * (see netns-spawn.ts), or behind `nsenter --net=PATH --` where that cannot be done. With
 * `files`, stdout and stderr go to memory files read once the child has exited: Bun reads pipes
 * through a pool of helper threads, which two threads' start and CPU per call would cost.
 */
export function bunRunner(
  bun: BunApi,
  baseEnv: Record<string, string | undefined>,
  files?: OutputFiles,
): CommandRunner {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return async (argv: readonly string[], options: RunOptions = {}): Promise<RunResult> => {
    const input = encoder.encode(options.input ?? '');
    const env = options.env ? { ...baseEnv, ...options.env } : baseEnv;
    const output = outputFiles(files);
    const start = (full: string[], direct: boolean): BunSubprocess => {
      try {
        return bun.spawn(full, {
          stdin: direct ? 'pipe' : input,
          stdout: output?.stdout ?? 'pipe',
          stderr: output?.stderr ?? 'pipe',
          env,
        });
      } catch (err) {
        output?.close();
        const e = new Error(`cannot start ${full[0] ?? ''}: ${(err as Error).message}`, {
          cause: err,
        }) as Error & { code?: string };
        e.code = (err as NodeJS.ErrnoException).code ?? 'ENOENT';
        throw e;
      }
    };
    let full = [...argv];
    let proc: BunSubprocess | undefined;
    if (options.netns !== undefined) {
      const netns = options.netns;
      try {
        proc = await spawnInNetns(netns, () => start(full, true));
        // The child's namespace is checked: only now may it read its input. A child that is
        // already gone (EPIPE) tells what happened by its exit status.
        feed(proc, input);
      } catch (err) {
        if (!(err instanceof NetnsEntryUnavailable)) {
          output?.close();
          throw err;
        }
        full = ['nsenter', `--net=${netns}`, '--', ...argv];
      }
    }
    proc ??= start(full, false);
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            proc.kill(9);
          }, options.timeoutMs);
    const [stdout, stderr, code] = await (output
      ? proc.exited.then(
          (exited) => {
            const [out, err] = output.take();
            return [decoder.decode(out), decoder.decode(err), exited] as const;
          },
          (err: unknown) => {
            output.close();
            throw err;
          },
        )
      : Promise.all([
          new Response(proc.stdout as ReadableStream).text(),
          new Response(proc.stderr as ReadableStream).text(),
          proc.exited,
        ]));
    if (timer) clearTimeout(timer);
    const signal = proc.signalCode;
    return {
      argv: full,
      exitCode: signal ? 128 + (SIGNALS[signal] ?? 0) : code,
      stdout,
      stderr,
      ...(timedOut ? { timedOut: true } : {}),
    };
  };
}

/**
 * A child's stdout and stderr as two memory files, or undefined (pipes then) without `files` or
 * when they cannot be made. `take` reads both and closes them; `close` only closes.
 */
function outputFiles(
  files: OutputFiles | undefined,
): { stdout: number; stderr: number; take(): [Uint8Array, Uint8Array]; close(): void } | undefined {
  if (files === undefined) return undefined;
  let stdout: number;
  try {
    stdout = files.memfd('stdout');
  } catch {
    return undefined;
  }
  let stderr: number;
  try {
    stderr = files.memfd('stderr');
  } catch {
    files.close(stdout);
    return undefined;
  }
  const close = (): void => {
    files.close(stdout);
    files.close(stderr);
  };
  return {
    stdout,
    stderr,
    take: () => {
      try {
        return [files.readFromStart(stdout), files.readFromStart(stderr)];
      } finally {
        close();
      }
    },
    close,
  };
}

/** Writes `input` to the child's stdin pipe and closes it; a write error is the child's story. */
function feed(child: BunSubprocess, input: Uint8Array): void {
  const ignore = (): void => undefined;
  try {
    void Promise.resolve(child.stdin?.write(input)).catch(ignore);
    void Promise.resolve(child.stdin?.end()).catch(ignore);
  } catch {
    // Thrown synchronously by a closed pipe: the exit status reports the child's end.
  }
}

/** The runtime of the Bun executable; `libc` as {@link loadLibc} gave it (undefined: node:fs). */
export function bunRuntime(
  bun: BunApi,
  env: Record<string, string | undefined>,
  libc: Libc | undefined,
): BridgeRuntime {
  let path: string | undefined;
  return {
    runner: bunRunner(bun, env, libc),
    enterNetns,
    // glibc through bun:ffi (see libc.ts), else node:fs; both loaded on first use, not at start-up.
    readSysctl: async (key) => {
      const path = `/proc/sys/${key}`;
      return libc ? libc.readFile(path) : (await nodeFs()).readFileSync(path, 'utf8');
    },
    writeSysctl: async (key, value) => {
      const path = `/proc/sys/${key}`;
      if (libc) libc.writeFile(path, value);
      else (await nodeFs()).writeFileSync(path, value);
    },
    statfsType: async (p) => (libc ? libc.statfsType(p) : (await nodeFs()).statfsSync(p).type),
    ...(libc ? { netlink: openNetlink } : {}),
    ...(libc ? { isRegularFile: (p: string) => libc.isRegularFile(p) } : {}),
    // With setns, container-side steps need neither nsenter nor a shell; `ip` stays for the reads
    // and batches netlink does not cover.
    ...(libc ? { baseTools: ['ip'] } : {}),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    sha512Hex: (text) => new bun.CryptoHasher('sha512').update(text).digest('hex'),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    hasExecutable: (name) =>
      Promise.resolve(
        bun.which(name, { PATH: (path ??= searchPath(env.PATH).join(':')) }) !== null,
      ),
    stderr: { write: (text: string) => void bun.write(bun.stderr, text) },
  };
}
