/**
 * The calls into the sibling packages (IPAM delegation, masquerade, spoof check), with the
 * runtime's runner and hash passed through, so that every command uses them the same way.
 * `@cnikit/iptables` is imported on first use only: a basic ADD or DEL never loads it.
 */
import type { Result } from '@cnikit/cni-skel';
import {
  ipamAdd,
  ipamCheck,
  ipamDel,
  ipamGc,
  ipamStatus,
  type IpamExecOptions,
} from '@cnikit/ipam-client';
import type * as Iptables from '@cnikit/iptables';
import type { BridgeConf } from '../config/netconf.js';
import type { CommandContext } from './command-context.js';

function ipamOptions(c: CommandContext): IpamExecOptions {
  return {
    pluginType: c.conf.ipamType,
    stdin: c.req.stdin,
    env: c.req.env,
    paths: c.req.path,
    runner: c.rt.runner,
    stderr: c.rt.stderr,
    isRegularFile: c.rt.isRegularFile,
  };
}

/** IPAM verbs for this request (same stdin, same environment, CNI_COMMAND replaced). */
export const ipam = {
  add: (c: CommandContext): Promise<Result> => ipamAdd(ipamOptions(c)),
  del: (c: CommandContext): Promise<void> => ipamDel(ipamOptions(c)),
  check: (c: CommandContext): Promise<void> => ipamCheck(ipamOptions(c)),
  status: (c: CommandContext): Promise<void> => ipamStatus(ipamOptions(c)),
  gc: (c: CommandContext): Promise<void> => ipamGc(ipamOptions(c)),
};

// Start-up time counts for every call: configs without ipMasq / macspoofchk skip this module graph.
const iptables = (): Promise<typeof Iptables> => import('@cnikit/iptables');

const identity = (c: CommandContext) => ({
  network: c.conf.name,
  containerId: c.req.containerId,
  ifName: c.req.ifName,
  runner: c.rt.runner,
  sha512Hex: (text: string) => c.rt.sha512Hex(text),
});

/** Masquerade rules of this attachment. */
export const masquerade = {
  setup: async (c: CommandContext, ips: readonly string[]): Promise<void> => {
    const { setupMasquerade } = await iptables();
    await setupMasquerade({ ...identity(c), ips, backend: c.conf.ipMasqBackend });
  },
  check: async (c: CommandContext, ips: readonly string[]): Promise<void> => {
    const { checkMasquerade } = await iptables();
    await checkMasquerade({ ...identity(c), ips, backend: c.conf.ipMasqBackend });
  },
  /**
   * By identity, on both backends: works when the netns or the link is gone. `ips`, when known,
   * spare reading the nat table of a family the attachment had no address in.
   */
  teardown: async (c: CommandContext, ips?: readonly string[]): Promise<void> => {
    const { teardownMasquerade } = await iptables();
    await teardownMasquerade({ ...identity(c), ips });
  },
  gc: async (c: CommandContext, conf: BridgeConf): Promise<void> => {
    const { gcMasquerade } = await iptables();
    await gcMasquerade({
      network: conf.name,
      validAttachments: c.req.validAttachments,
      runner: c.rt.runner,
      sha512Hex: (text: string) => c.rt.sha512Hex(text),
    });
  },
};

/** The MAC spoof check of this attachment. */
export const spoofCheck = {
  setup: async (c: CommandContext, hostIfName: string, mac: string): Promise<void> => {
    const { setupSpoofCheck } = await iptables();
    await setupSpoofCheck({
      containerId: c.req.containerId,
      ifName: c.req.ifName,
      hostIfName,
      mac,
      runner: c.rt.runner,
    });
  },
  teardown: async (c: CommandContext): Promise<void> => {
    const { teardownSpoofCheck } = await iptables();
    await teardownSpoofCheck({
      containerId: c.req.containerId,
      ifName: c.req.ifName,
      runner: c.rt.runner,
    });
  },
};
