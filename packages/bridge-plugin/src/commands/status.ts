/**
 * STATUS: can this host serve ADD for this network? The tools the config needs must be present
 * (code 50 otherwise; the reference checks nothing), then IPAM is asked, its error passed on. A
 * runtime that enters namespaces itself needs no `nsenter` or shell (see `baseTools`).
 */
import { CniError, ErrorCode } from '@cnikit/cni-skel';
import type { BridgeConf } from '../config/netconf.js';
import type { BridgeRuntime } from '../runtime/runtime.js';
import type { CommandContext } from './command-context.js';
import { ipam } from './effects.js';

/** Executables every runtime's steps may start unless it says otherwise (`baseTools`). */
const BASE_TOOLS = ['ip', 'nsenter', 'sh'] as const;

/** Executables each masquerade backend runs. */
const MASQ_TOOLS: Record<string, readonly string[]> = {
  iptables: ['iptables-save', 'iptables-restore'],
  nftables: ['nft'],
};

/** The tools missing for `conf` (empty when everything is there). */
export async function missingTools(
  rt: BridgeRuntime,
  conf: Pick<
    BridgeConf,
    'ipamType' | 'ipMasq' | 'ipMasqBackend' | 'vlan' | 'vlanTrunkGiven' | 'macspoofchk'
  >,
): Promise<string[]> {
  const has = async (names: readonly string[]): Promise<boolean> =>
    (await Promise.all(names.map((n) => rt.hasExecutable(n)))).every(Boolean);
  const missing: string[] = [];
  const tools = [...(rt.baseTools ?? BASE_TOOLS)];
  // Port VLANs are programmed with `bridge -batch`; the spoof check is an nftables table.
  if (conf.vlan !== 0 || conf.vlanTrunkGiven) tools.push('bridge');
  if (conf.macspoofchk) tools.push('nft');
  for (const tool of tools) if (!(await rt.hasExecutable(tool))) missing.push(tool);
  if (conf.ipamType !== '' && conf.ipMasq) {
    const backend = conf.ipMasqBackend;
    // Own keys only: a backend named "__proto__" or "toString" is just an unknown backend.
    const wanted =
      backend !== undefined && Object.hasOwn(MASQ_TOOLS, backend) ? MASQ_TOOLS[backend] : undefined;
    if (wanted !== undefined) {
      if (!(await has(wanted))) missing.push(...wanted);
    } else if (backend === undefined) {
      if (!(await has(MASQ_TOOLS.iptables ?? [])) && !(await has(MASQ_TOOLS.nftables ?? [])))
        missing.push('iptables-restore or nft');
    }
  }
  return missing;
}

/** Runs STATUS. */
export async function cmdStatus(c: CommandContext): Promise<void> {
  const missing = await missingTools(c.rt, c.conf);
  if (missing.length > 0)
    throw new CniError(ErrorCode.PluginNotAvailable, 'bridge plugin is not available', {
      details: `missing executables: ${missing.join(', ')}`,
    });
  if (c.conf.ipamType !== '') await ipam.status(c);
}
