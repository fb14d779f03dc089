/**
 * One scenario's world: a Sandbox (host namespace + containers), a host-local data directory,
 * fake executables, and helpers that run the bridge under test inside the host namespace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FakeBinDir,
  pluginPathEnv,
  REFERENCE_PLUGIN_DIR,
  runCniPlugin,
  Sandbox,
  type Netns,
  type PluginRun,
} from '@cnikit-tools/test-utils';
import { CANDIDATE_BRIDGE } from './bridge-binary.js';
import { addHostLocalShim } from './host-local-shim.js';
import type { SpecVersion } from './versions.js';

/** The network name every scenario uses (chain names and the store directory derive from it). */
export const NETWORK = 'testnet';
/** The bridge every scenario uses. */
export const BRIDGE = 'bridge0';

/** Options of one plugin call. */
export interface CallOptions {
  containerId?: string;
  ifName?: string;
  args?: string;
  /** CNI_NETNS override: a path, or '' for empty. Default: the container's path. */
  netns?: string;
  /** CNI_PATH override (default: the shim for 1.1.0, then the reference plugins). */
  cniPath?: string;
  /** PATH of the plugin process (default: the system directories and this node's). */
  envPath?: string;
  /** Run this binary instead of the one under test. */
  binary?: string;
}

/** A host-local range set: one inner list per range set, as subnets. */
export type Subnets = readonly (readonly string[])[];

export class Testbed {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'cnikit-e2e-ipam-'));
  private readonly fakeDirs: FakeBinDir[] = [];
  private readonly ids = new Map<string, string>();
  private shimPath: string | undefined;

  private constructor(
    readonly version: SpecVersion,
    readonly sandbox: Sandbox,
    readonly host: Netns,
  ) {}

  /** Makes the host namespace; call `cleanup()` when done (afterEach or finally). */
  static async open(version: SpecVersion): Promise<Testbed> {
    const sandbox = new Sandbox();
    try {
      return new Testbed(version, sandbox, await sandbox.host());
    } catch (err) {
      await sandbox.cleanup();
      throw err;
    }
  }

  /** A new container namespace; its container ID is `ctr-<n>`. */
  async container(): Promise<Netns> {
    const ns = await this.sandbox.container();
    this.ids.set(ns.path, `ctr-${this.ids.size}`);
    return ns;
  }

  /** The CNI container ID used for `ns`. */
  containerId(ns: Netns): string {
    const id = this.ids.get(ns.path);
    if (id === undefined) throw new Error(`not a container of this testbed: ${ns.name}`);
    return id;
  }

  /** A temp directory for fake executables, removed by cleanup. */
  fakeBin(): FakeBinDir {
    const dir = new FakeBinDir('cnikit-e2e-bin-');
    this.fakeDirs.push(dir);
    return dir;
  }

  /** The host-local IPAM section for these subnets (one range set per inner list). */
  ipam(subnets: Subnets, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: 'host-local',
      dataDir: this.dataDir,
      ranges: subnets.map((set) => set.map((subnet) => ({ subnet }))),
      ...extra,
    };
  }

  /** A bridge network config at this testbed's version. */
  netconf(fields: Record<string, unknown> = {}): Record<string, unknown> {
    return { cniVersion: this.version, name: NETWORK, type: 'bridge', bridge: BRIDGE, ...fields };
  }

  /** CNI_PATH: the 1.1.0 IPAM shim first when needed, then the reference plugins. */
  cniPath(): string {
    if (this.version !== '1.1.0') return REFERENCE_PLUGIN_DIR;
    if (this.shimPath === undefined) {
      const dir = this.fakeBin();
      addHostLocalShim(dir);
      this.shimPath = dir.dir;
    }
    return `${this.shimPath}:${REFERENCE_PLUGIN_DIR}`;
  }

  /** Runs the bridge under test with `command` for container `ns` (or none, for GC/STATUS). */
  async run(
    command: string,
    ns: Netns | undefined,
    config: unknown,
    options: CallOptions = {},
  ): Promise<PluginRun> {
    return runCniPlugin(options.binary ?? CANDIDATE_BRIDGE, {
      host: this.host,
      command,
      containerId: options.containerId ?? (ns ? this.containerId(ns) : undefined),
      netns: options.netns ?? ns?.path,
      ifName: options.ifName ?? (ns ? 'eth0' : undefined),
      args: options.args,
      path: options.cniPath ?? this.cniPath(),
      config,
      envPath: options.envPath ?? pluginPathEnv(),
    });
  }

  add(ns: Netns, config: unknown, options?: CallOptions): Promise<PluginRun> {
    return this.run('ADD', ns, config, options);
  }

  del(ns: Netns, config: unknown, options?: CallOptions): Promise<PluginRun> {
    return this.run('DEL', ns, config, options);
  }

  /** CHECK with `prevResult` inserted into the config, as a runtime does. */
  check(
    ns: Netns,
    config: Record<string, unknown>,
    prevResult: unknown,
    options?: CallOptions,
  ): Promise<PluginRun> {
    return this.run('CHECK', ns, { ...config, prevResult }, options);
  }

  async cleanup(): Promise<void> {
    await this.sandbox.cleanup();
    for (const dir of this.fakeDirs) dir.cleanup();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Describes a failed run for assertion messages. */
export function describeRun(run: PluginRun): string {
  return `exit ${run.exitCode}, stdout ${run.stdout.trim() || '(empty)'}, stderr ${run.stderr.trim() || '(empty)'}`;
}

/** The error object of a failed run (`{code, msg}`), or throws when stdout is not one. */
export function errorOf(run: PluginRun): { code: number; msg: string; details?: string } {
  const json = run.json as { code?: unknown; msg?: unknown } | undefined;
  if (run.exitCode === 0 || typeof json?.code !== 'number' || typeof json.msg !== 'string')
    throw new Error(`expected a CNI error, got ${describeRun(run)}`);
  return json as { code: number; msg: string; details?: string };
}
