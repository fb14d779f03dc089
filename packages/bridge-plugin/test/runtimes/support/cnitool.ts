/**
 * cnitool (libcni's command-line client, what containerd and CRI-O link) in a throwaway world:
 * a Sandbox host namespace, and a private mount namespace with a temp dir bound over /var/lib,
 * because libcni 1.1 keeps its result cache at the fixed path /var/lib/cni/results (cnitool
 * offers no variable to move it).
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import {
  MountSession,
  REFERENCE_PLUGIN_DIR,
  Sandbox,
  type ExecResult,
  type Netns,
} from '@cnikit-tools/test-utils';

/** This checkout's root. */
const REPO_ROOT = resolve(import.meta.dirname, '../../../../..');

/** Names a prebuilt cnitool instead of building it with scripts/build-cnitool.sh. */
export const CNITOOL_ENV = 'CNIKIT_CNITOOL';

/**
 * The cnitool binary: $CNIKIT_CNITOOL, else the one scripts/build-cnitool.sh builds (or finds in
 * its cache, .cache/cnitool).
 * @throws Error with the script's output when the build fails.
 */
export async function cnitoolBinary(): Promise<string> {
  const named = process.env[CNITOOL_ENV];
  if (named !== undefined && named !== '') return resolve(named);
  const r = await execa('bash', [join(REPO_ROOT, 'scripts/build-cnitool.sh')], {
    reject: false,
    timeout: 600_000,
  });
  const path = r.stdout.trim().split('\n').pop() ?? '';
  if (r.exitCode !== 0 || !existsSync(path))
    throw new Error(`scripts/build-cnitool.sh failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  return path;
}

/** The container ID cnitool derives from a netns path: `cnitool-` + 10 bytes of its SHA-512. */
export function cnitoolContainerId(netnsPath: string): string {
  return `cnitool-${createHash('sha512').update(netnsPath).digest('hex').slice(0, 20)}`;
}

/** One conflist: a name and its plugins (cniVersion is filled in). */
export interface ConfList {
  name: string;
  plugins: Record<string, unknown>[];
}

/** What one cnitool call is given besides the command and netns. */
export interface CnitoolCall {
  /** CAP_ARGS (runtime config for plugins with capabilities, e.g. portMappings). */
  capArgs?: Record<string, unknown>;
}

/** A host namespace, its containers, temp dirs and a mount session cnitool runs in. */
export class CnitoolWorld {
  private constructor(
    readonly cnitool: string,
    readonly sandbox: Sandbox,
    readonly host: Netns,
    readonly session: MountSession,
    /** Root of this world's temp dirs. */
    readonly dir: string,
  ) {}

  /** Where host-local keeps its reservations. */
  get dataDir(): string {
    return join(this.dir, 'ipam');
  }

  /** libcni's result cache as the host sees it (bound over /var/lib/cni inside the session). */
  get cacheDir(): string {
    return join(this.dir, 'var-lib', 'cni', 'results');
  }

  /** Makes the world; `close()` it in afterEach/finally. `bridge` is the binary under test. */
  static async open(cnitool: string, bridge: string): Promise<CnitoolWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'cnikit-cnitool-'));
    const sandbox = new Sandbox();
    try {
      for (const sub of ['var-lib', 'ipam', 'plugins', 'conf-full', 'conf-check'])
        mkdirSync(join(dir, sub));
      // Only `bridge` is ours; every other type resolves to the reference plugins.
      symlinkSync(bridge, join(dir, 'plugins', 'bridge'));
      const host = await sandbox.host();
      const session = await MountSession.open({
        netns: host,
        binds: [{ source: join(dir, 'var-lib'), target: '/var/lib' }],
      });
      return new CnitoolWorld(cnitool, sandbox, host, session, dir);
    } catch (err) {
      await sandbox.cleanup();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Writes the conflist cnitool uses for ADD and DEL, and the one for CHECK (the same network
   * without the plugins named in `notChecked`: libcni finds the cached ADD result by network name).
   */
  writeConfLists(list: ConfList, notChecked: readonly string[]): void {
    const write = (sub: string, plugins: Record<string, unknown>[]): void =>
      writeFileSync(
        join(this.dir, sub, `10-${list.name}.conflist`),
        JSON.stringify({ cniVersion: '1.0.0', name: list.name, plugins }, null, 2),
      );
    write('conf-full', list.plugins);
    write(
      'conf-check',
      list.plugins.filter((p) => !notChecked.includes(String(p.type))),
    );
  }

  /** Runs `cnitool <command> <network> <netns>` inside the session. */
  run(
    command: 'add' | 'check' | 'del',
    network: string,
    ns: Netns,
    call: CnitoolCall = {},
  ): Promise<ExecResult> {
    const env: Record<string, string> = {
      NETCONFPATH: join(this.dir, command === 'check' ? 'conf-check' : 'conf-full'),
      CNI_PATH: `${join(this.dir, 'plugins')}:${REFERENCE_PLUGIN_DIR}`,
    };
    if (call.capArgs !== undefined) env.CAP_ARGS = JSON.stringify(call.capArgs);
    return this.session.exec([this.cnitool, command, network, ns.path], { env });
  }

  /** Files in libcni's result cache. */
  cachedResults(): string[] {
    return existsSync(this.cacheDir) ? readdirSync(this.cacheDir).sort() : [];
  }

  /** Ends the session, deletes the namespaces and the temp dirs. Idempotent. */
  async close(): Promise<void> {
    try {
      await this.session.close();
    } finally {
      await this.sandbox.cleanup();
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
