/**
 * VLANs of a bridge port (reference §2.13), as one `bridge -batch`: drop the VLANs the kernel gave
 * the new port (read just before) unless preserveDefaultVlan, add the access VLAN as PVID
 * untagged, add each trunk VID tagged, and with a trunk but no access VLAN make VID 1 the native one.
 */
import { BridgeBatch } from '@cnikit/netops';
import { WordedBatch } from './worded-batch.js';

/** What the port's VLANs come from. */
export interface VlanPortInput {
  port: string;
  vlan: number;
  vlans: readonly number[];
  preserveDefaultVlan: boolean;
  /** The VIDs the port has now (what the kernel gave it on joining). */
  current: readonly number[];
}

/** True when the port needs any VLAN programming. */
export const needsVlanProgramming = (vlan: number, vlans: readonly number[]): boolean =>
  vlan !== 0 || vlans.length > 0;

/** True when the port's current VLANs must be read first (to remove them). */
export const needsVlanRead = (
  input: Pick<VlanPortInput, 'vlan' | 'vlans' | 'preserveDefaultVlan'>,
): boolean => needsVlanProgramming(input.vlan, input.vlans) && !input.preserveDefaultVlan;

/** The `bridge -batch` (empty when no VLAN is configured). */
export function vlanPortBatch(input: VlanPortInput): WordedBatch<BridgeBatch> {
  const { port, vlan, vlans } = input;
  const batch = new WordedBatch(new BridgeBatch());
  if (!needsVlanProgramming(vlan, vlans)) return batch;
  const tagFail = (reason: string): string =>
    `failed to setup vlan tag on interface "${port}": ${reason}`;
  if (!input.preserveDefaultVlan)
    for (const vid of input.current)
      batch.with(
        (reason) => `failed to remove default vlan on interface "${port}": ${reason}`,
        (b) => b.vlanDel(port, vid),
      );
  if (vlan !== 0)
    batch.with(tagFail, (b) => b.vlanAdd(port, vlan, { pvid: true, untagged: true, undo: false }));
  for (const v of vlans) batch.with(tagFail, (b) => b.vlanAdd(port, v, { undo: false }));
  if (vlans.length > 0 && vlan === 0)
    batch.with(tagFail, (b) => b.vlanAdd(port, 1, { pvid: true, untagged: true, undo: false }));
  return batch;
}
