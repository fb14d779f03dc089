/**
 * Runs the built plugin as a CNI runtime would: inside the sandbox's "host" namespace, with a clean
 * environment, CNI_PATH=/usr/lib/cni (the reference host-local as IPAM, its dataDir in a temp dir),
 * and one namespace per container.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REFERENCE_PLUGIN_DIR,
  Sandbox,
  bridgeExecutable,
  execIn,
  mustExecIn,
  pluginPathEnv,
  type BridgeExecutableKind,
  type Netns,
} from '@cnikit-tools/test-utils';

/** What a call printed, parsed. */
export interface PluginCall {
  exitCode: number;
  stdout: string;
  stderr: string;
  result?: Record<string, unknown> & {
    interfaces?: Array<{ name: string; mac?: string; sandbox?: string }>;
    ips?: Array<{ address: string; gateway?: string; interface?: number }>;
    routes?: Array<{ dst: string; gw?: string }>;
  };
  error?: { code: number; msg: string; details?: string };
}

/** Per-call options. */
export interface CallOptions {
  container?: Netns;
  containerId?: string;
  ifName?: string;
  netns?: string;
  args?: string;
}

let counter = 0;

/** One test's world: host namespace, containers, IPAM data dir, and the plugin to run. */
export class Harness {
  readonly sandbox = new Sandbox();
  readonly dataDir = mkdtempSync(join(tmpdir(), 'cnikit-hostlocal-'));
  readonly bridge = `cbr${process.pid % 1000}${counter++}`;
  host!: Netns;

  constructor(readonly kind: BridgeExecutableKind) {}

  async start(): Promise<this> {
    this.host = await this.sandbox.host();
    return this;
  }

  async cleanup(): Promise<void> {
    await this.sandbox.cleanup();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  container(): Promise<Netns> {
    return this.sandbox.container();
  }

  /** A config on this test's bridge with host-local IPAM (unless `ipam` is overridden). */
  conf(extra: Record<string, unknown> = {}, subnet = '10.77.0.0/24'): Record<string, unknown> {
    return {
      cniVersion: '1.0.0',
      name: 'itest',
      type: 'bridge',
      bridge: this.bridge,
      ipam: { type: 'host-local', subnet, dataDir: this.dataDir },
      ...extra,
    };
  }

  async call(command: string, conf: object, options: CallOptions = {}): Promise<PluginCall> {
    const env: Record<string, string> = {
      PATH: pluginPathEnv(),
      CNI_COMMAND: command,
      CNI_PATH: REFERENCE_PLUGIN_DIR,
    };
    if (command !== 'GC' && command !== 'STATUS') {
      env.CNI_CONTAINERID = options.containerId ?? 'ctr1';
      env.CNI_IFNAME = options.ifName ?? 'eth0';
      const netns = options.netns ?? options.container?.path;
      if (netns !== undefined) env.CNI_NETNS = netns;
      if (options.args !== undefined) env.CNI_ARGS = options.args;
    }
    const run = await execIn(this.host, [bridgeExecutable(this.kind)], {
      input: JSON.stringify(conf),
      env,
      cleanEnv: true,
    });
    const out: PluginCall = { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
    if (run.stdout.trim() !== '') {
      const parsed = JSON.parse(run.stdout) as Record<string, unknown>;
      if (run.exitCode === 0) out.result = parsed;
      else out.error = parsed as PluginCall['error'];
    }
    return out;
  }

  /** ADD that must succeed. */
  async add(conf: object, options: CallOptions = {}): Promise<NonNullable<PluginCall['result']>> {
    const r = await this.call('ADD', conf, options);
    if (r.exitCode !== 0 || !r.result)
      throw new Error(`ADD failed (${r.exitCode}): ${r.stdout} ${r.stderr}`);
    return r.result;
  }

  hostRun(argv: string[]): Promise<string> {
    return mustExecIn(this.host, argv);
  }

  inRun(ns: Netns, argv: string[]): Promise<string> {
    return mustExecIn(ns, argv);
  }

  /** `ip -j -d link show` of the host namespace, by name. */
  async hostLinks(): Promise<Map<string, LinkJson>> {
    const links = JSON.parse(await this.hostRun(['ip', '-j', '-d', 'link', 'show'])) as LinkJson[];
    return new Map(links.map((l) => [l.ifname, l]));
  }

  /** Addresses (local/prefixlen) of a link in a namespace. */
  async addrs(ns: Netns, dev: string): Promise<string[]> {
    const out = JSON.parse(
      await this.inRun(ns, ['ip', '-j', 'addr', 'show', 'dev', dev]),
    ) as Array<{
      addr_info: Array<{ local: string; prefixlen: number; scope: string }>;
    }>;
    return (out[0]?.addr_info ?? [])
      .filter((a) => a.scope !== 'link')
      .map((a) => `${a.local}/${a.prefixlen}`);
  }

  /** IPs host-local holds for this network. */
  allocations(): string[] {
    try {
      return readdirSync(join(this.dataDir, 'itest')).filter(
        (f) => /^\d+(\.\d+){3}$/.test(f) || (f.includes(':') && !f.startsWith('last')),
      );
    } catch {
      return [];
    }
  }

  /** The nat table of the host namespace (iptables-save text). */
  natRules(): Promise<string> {
    return this.hostRun(['iptables-save', '-t', 'nat']);
  }

  /** The nft masquerade table of the host namespace ('' when absent). */
  async nftMasq(): Promise<string> {
    const r = await execIn(this.host, ['nft', 'list', 'table', 'inet', 'cni_plugins_masquerade']);
    return r.exitCode === 0 ? r.stdout : '';
  }
}

/** The fields of `ip -j -d link` the tests read. */
export interface LinkJson {
  ifname: string;
  address: string;
  mtu: number;
  operstate: string;
  master?: string;
  flags: string[];
  linkinfo?: {
    info_kind?: string;
    info_slave_data?: { hairpin?: boolean; isolated?: boolean };
  };
}

/** The config of a CHECK/DEL after ADD: prevResult = the ADD result. */
export const withPrev = (conf: object, result: object): object => ({ ...conf, prevResult: result });
