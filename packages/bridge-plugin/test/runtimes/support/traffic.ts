/**
 * Traffic probes between our own namespaces: ping, and a tiny HTTP server and client from
 * busybox-static (Debian package busybox-static, listed in scripts/system-packages.txt).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { execIn, type ExecResult, type Netns } from '@cnikit-tools/test-utils';

/** busybox-static's binary: httpd, wget and a shell for the podman image. */
export const BUSYBOX = '/bin/busybox';

/** Throws unless busybox-static is installed. */
export function assertBusybox(): void {
  try {
    accessSync(BUSYBOX, constants.X_OK);
  } catch (cause) {
    throw new Error(`${BUSYBOX} is missing: apt-get install busybox-static`, { cause });
  }
}

/** True when one ping from `ns` to `ip` is answered. */
export async function pingOnce(ns: Netns, ip: string): Promise<boolean> {
  const r = await execIn(ns, ['ping', '-c', '1', '-W', '2', ip]);
  return r.exitCode === 0;
}

/** An HTTP server serving one directory inside a namespace. */
export class HttpServer {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts `busybox httpd` in the foreground inside `ns`; `stop()` it in a finally. */
  static start(ns: Netns, docRoot: string, port: number): HttpServer {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port ${port}`);
    const child = spawn(
      'nsenter',
      [`--net=${ns.path}`, '--', BUSYBOX, 'httpd', '-f', '-p', String(port), '-h', docRoot],
      { stdio: 'ignore' },
    );
    return new HttpServer(child);
  }

  /** Kills the server (nsenter execs busybox, so the child's pid is the server's). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/**
 * GETs `url` from `run`'s namespace, retrying while the server may still be starting; returns
 * the last attempt (stdout holds the body on success).
 */
export async function httpGet(
  run: (argv: readonly string[]) => Promise<ExecResult>,
  url: string,
  attempts = 20,
): Promise<ExecResult> {
  let last: ExecResult = { exitCode: -1, stdout: '', stderr: 'not tried' };
  for (let i = 0; i < attempts; i++) {
    // No `-T`: busybox-static 1.35's wget crashes with it; the caller's exec timeout bounds it.
    last = await run([BUSYBOX, 'wget', '-q', '-O', '-', url]);
    if (last.exitCode === 0) return last;
    await delay(100);
  }
  return last;
}
