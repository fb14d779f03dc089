/**
 * Runs Debian's reference `bridge` plugin (with host-local IPAM) inside a Sandbox host namespace,
 * to record what the reference writes for a container.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execIn, REFERENCE_PLUGIN_DIR, type Netns } from '@cnikit-tools/test-utils';

export interface ReferenceNetwork {
  name: string;
  bridge: string;
  subnets: string[];
  ipMasq?: boolean;
  macspoofchk?: boolean;
}

export interface ReferenceAttachment {
  containerId: string;
  ifName: string;
  container: Netns;
}

/** A reference network with its own host-local data directory (removed by `cleanup`). */
export class ReferenceBridge {
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'cnikit-ipt-ref-'));

  constructor(
    private readonly host: Netns,
    private readonly net: ReferenceNetwork,
  ) {}

  private config(): string {
    return JSON.stringify({
      cniVersion: '1.0.0',
      name: this.net.name,
      type: 'bridge',
      bridge: this.net.bridge,
      isGateway: true,
      ipMasq: this.net.ipMasq ?? false,
      macspoofchk: this.net.macspoofchk ?? false,
      ipam: {
        type: 'host-local',
        ranges: this.net.subnets.map((subnet) => [{ subnet }]),
        dataDir: this.dataDir,
      },
    });
  }

  private async call(command: 'ADD' | 'DEL', a: ReferenceAttachment): Promise<string> {
    const r = await execIn(this.host, [join(REFERENCE_PLUGIN_DIR, 'bridge')], {
      input: this.config(),
      cleanEnv: true,
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        CNI_COMMAND: command,
        CNI_CONTAINERID: a.containerId,
        CNI_NETNS: a.container.path,
        CNI_IFNAME: a.ifName,
        CNI_PATH: REFERENCE_PLUGIN_DIR,
      },
    });
    if (r.exitCode !== 0)
      throw new Error(`reference ${command} exited ${r.exitCode}: ${r.stdout} ${r.stderr}`);
    return r.stdout;
  }

  /** ADD; returns the container's addresses ("10.1.2.5/24") and its MAC. */
  async add(a: ReferenceAttachment): Promise<{ ips: string[]; mac: string; hostIfName: string }> {
    const result = JSON.parse(await this.call('ADD', a)) as {
      ips: { address: string }[];
      interfaces: { name: string; mac: string; sandbox?: string }[];
    };
    const container = result.interfaces.find((i) => i.sandbox !== undefined);
    const hostVeth = result.interfaces.find(
      (i) => i.sandbox === undefined && i.name !== this.net.bridge,
    );
    return {
      ips: result.ips.map((i) => i.address),
      mac: container?.mac ?? '',
      hostIfName: hostVeth?.name ?? '',
    };
  }

  async del(a: ReferenceAttachment): Promise<void> {
    await this.call('DEL', a);
  }

  cleanup(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
