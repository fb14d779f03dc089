/**
 * Starting one plugin call, timed. The clock is read right around the spawn: stdin is an already
 * open file and the environment is built beforehand, so a call's time is the plugin's run plus the
 * launch overhead that the bench measures separately with `true`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** A call to start. */
export interface CallSpec {
  argv: readonly string[];
  /** The whole environment of the child (nothing is inherited). */
  env: Record<string, string>;
  /** A file given to the child as stdin. */
  stdinFile: string;
}

/** How a call ended. */
export interface CallOutcome {
  ms: number;
  /** -1 when the child was killed or could not start. */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Why the child could not start or was killed, if so. */
  spawnError?: string;
}

/** A call that runs longer than this is killed and counts as failed. */
export const CALL_TIMEOUT_MS = 60_000;

const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function split(argv: readonly string[]): [string, string[]] {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('empty argv');
  return [cmd, args];
}

/** Runs a call and waits for it (the serial loop). */
export function callSync(spec: CallSpec): CallOutcome {
  const [cmd, args] = split(spec.argv);
  // Each call opens its own descriptor: a shared one would share the read offset.
  const stdin = openSync(spec.stdinFile, 'r');
  try {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, {
      env: spec.env,
      stdio: [stdin, 'pipe', 'pipe'],
      timeout: CALL_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    const ms = elapsedMs(start);
    const killed = r.error?.message ?? (r.signal ? `killed by ${r.signal}` : undefined);
    return {
      ms,
      exitCode: r.status ?? -1,
      stdout: r.stdout?.toString() ?? '',
      stderr: r.stderr?.toString() ?? '',
      ...(killed ? { spawnError: killed } : {}),
    };
  } finally {
    closeSync(stdin);
  }
}

/** Starts a call without waiting (the concurrent trials); resolves when it has exited. */
export function callAsync(spec: CallSpec): Promise<CallOutcome> {
  const [cmd, args] = split(spec.argv);
  const stdin = openSync(spec.stdinFile, 'r');
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      env: spec.env,
      stdio: [stdin, 'pipe', 'pipe'],
      timeout: CALL_TIMEOUT_MS,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    let spawnError: string | undefined;
    child.on('error', (e) => (spawnError = e.message));
    child.on('close', (code, signal) => {
      const ms = elapsedMs(start);
      closeSync(stdin);
      const why = spawnError ?? (signal ? `killed by ${signal}` : undefined);
      resolve({
        ms,
        exitCode: code ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        ...(why ? { spawnError: why } : {}),
      });
    });
  });
}

/** True when the call exited 0 and printed no CNI error. */
export function succeeded(o: CallOutcome): boolean {
  return o.exitCode === 0 && o.spawnError === undefined;
}

/** A one-line reason for a failed call: the CNI error's msg, else stderr, else the exit. */
export function failureMessage(o: CallOutcome): string {
  if (o.spawnError) return o.spawnError;
  try {
    const e = JSON.parse(o.stdout) as { code?: unknown; msg?: unknown; details?: unknown };
    if (typeof e.msg === 'string')
      return `code ${String(e.code)}: ${e.msg}${typeof e.details === 'string' && e.details ? `; ${e.details}` : ''}`;
  } catch {
    // Not a CNI error on stdout; fall back to stderr.
  }
  const text = (o.stderr.trim() || o.stdout.trim()).split('\n').slice(-3).join(' ');
  return `exit ${o.exitCode}${text ? `: ${text.slice(0, 300)}` : ''}`;
}
