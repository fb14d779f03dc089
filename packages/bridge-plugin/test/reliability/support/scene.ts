/**
 * One reliability scenario's world: a fresh Sandbox host namespace, host-local's store in a temp
 * dir, the kill switch's shims on PATH and CNI_PATH, and the plugin started as a runtime starts
 * it (clean environment, config on stdin) but through the kill switch's launcher, so a test can
 * SIGKILL it at a chosen point.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { cniEnv, readResidue, Sandbox, type Netns, type Residue } from '@cnikit-tools/test-utils';
import { KillSwitch } from './kill-switch.js';

/** The network every scenario uses (store directory and rule comments derive from it). */
export const NETWORK = 'cnk-reliab';
/** The bridge every scenario uses. */
export const BRIDGE = 'cnkbr-rel0';

const NSENTER = '/usr/bin/nsenter';

/** How one plugin run ended. */
export interface Outcome {
  exitCode: number | undefined;
  /** Set when a signal ended the plugin (SIGKILL for a killed ADD). */
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

/** One call's CNI parameters besides the command. */
export interface Call {
  containerId: string;
  /** CNI_NETNS: a path, or '' for none. */
  netns: string;
  config: Record<string, unknown>;
  /** CNI_PATH override (e.g. a fake IPAM first). */
  cniPath?: string;
}

/** The bridge config of a scenario; `ipam` is filled in by {@link Scene.config}. */
export type ConfigShape = (ipam: Record<string, unknown>) => Record<string, unknown>;

/** One line of a run, for assertion messages. */
export function describeOutcome(o: Outcome): string {
  const how = o.signal !== undefined ? `killed by ${o.signal}` : `exit ${o.exitCode}`;
  return `${how}, stdout ${o.stdout.trim() || '(empty)'}, stderr ${o.stderr.trim() || '(empty)'}`;
}

/** The world of one scenario; `cleanup()` always. */
export class Scene {
  private containerCount = 0;

  private constructor(
    readonly sandbox: Sandbox,
    readonly host: Netns,
    readonly killSwitch: KillSwitch,
    /** host-local's dataDir. */
    readonly dataDir: string,
  ) {}

  /** Makes the host namespace and temp dirs; `bridge` is the plugin under test. */
  static async open(bridge: string): Promise<Scene> {
    const killSwitch = KillSwitch.create(bridge);
    const sandbox = new Sandbox();
    const dataDir = mkdtempSync(join(tmpdir(), 'cnikit-reliab-ipam-'));
    try {
      return new Scene(sandbox, await sandbox.host(), killSwitch, dataDir);
    } catch (err) {
      await sandbox.cleanup();
      killSwitch.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** A container namespace and its CNI container ID. */
  async container(): Promise<{ ns: Netns; id: string }> {
    const ns = await this.sandbox.container();
    return { ns, id: `reliab-${this.containerCount++}` };
  }

  /** The config of `shape` with host-local on this scene's store. */
  config(shape: ConfigShape, subnets: readonly string[]): Record<string, unknown> {
    return shape({
      type: 'host-local',
      dataDir: this.dataDir,
      ranges: subnets.map((subnet) => [{ subnet }]),
    });
  }

  /** Starts the plugin; the returned promise never rejects on the plugin's failure. */
  start(command: string, call: Call): ResultPromise<{ reject: false }> {
    const env = {
      PATH: this.killSwitch.pathEnv,
      ...cniEnv({
        command,
        containerId: call.containerId,
        netns: call.netns,
        ifName: 'eth0',
        path: call.cniPath ?? this.killSwitch.cniPath,
      }),
    };
    // Absolute: execa resolves the command with the plugin's PATH, where the shims come first.
    return execa(NSENTER, [`--net=${this.host.path}`, '--', this.killSwitch.launcher], {
      env,
      extendEnv: false,
      input: JSON.stringify(call.config),
      reject: false,
      timeout: 60_000,
    });
  }

  /** Runs the plugin to its end. */
  async run(command: string, call: Call): Promise<Outcome> {
    const r = await this.start(command, call);
    return {
      exitCode: r.exitCode,
      signal: r.signal,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
    };
  }

  /** What is left in the host, the given containers and the store. */
  residue(containers: readonly Netns[] = []): Promise<Residue> {
    return readResidue({
      host: this.host,
      containers,
      ipamStore: { dataDir: this.dataDir, network: NETWORK },
    });
  }

  async cleanup(): Promise<void> {
    await this.sandbox.cleanup();
    this.killSwitch.cleanup();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
