/** VLAN settings: the `vlan` range check and the `vlanTrunk` list, as the reference validates them. */
import { BridgeConfigError } from '../errors.js';

/** One `vlanTrunk` entry: a single `id`, a `minID`..`maxID` range, or both. */
export interface VlanTrunk {
  minID?: number | undefined;
  maxID?: number | undefined;
  id?: number | undefined;
}

const isVid = (v: number): boolean => v > 0 && v <= 4094;

/** Checks the access VLAN: 0 (none) to 4094. */
export function checkVlan(vlan: number): void {
  if (vlan < 0 || vlan > 4094)
    throw new BridgeConfigError(`invalid VLAN ID ${vlan} (must be between 0 and 4094)`);
}

/**
 * Expands `vlanTrunk` into the sorted, de-duplicated VIDs (undefined for none), with the
 * reference's error texts. A `null` entry counts as an empty one (the reference crashes on it).
 */
export function collectVlanTrunk(
  trunks: ReadonlyArray<VlanTrunk | undefined> | undefined,
): number[] | undefined {
  if (trunks === undefined) return undefined;
  const vids = new Set<number>();
  for (const item of trunks) {
    if (item === undefined) continue;
    const { minID, maxID, id } = item;
    if (minID !== undefined && maxID !== undefined) {
      if (!isVid(minID)) throw new BridgeConfigError('incorrect trunk minID parameter');
      if (!isVid(maxID)) throw new BridgeConfigError('incorrect trunk maxID parameter');
      if (maxID < minID)
        throw new BridgeConfigError('minID is greater than maxID in trunk parameter');
      for (let v = minID; v <= maxID; v++) vids.add(v);
    } else if (maxID !== undefined) {
      throw new BridgeConfigError(
        'minID and maxID should be configured simultaneously, minID is missing',
      );
    } else if (minID !== undefined) {
      throw new BridgeConfigError(
        'minID and maxID should be configured simultaneously, maxID is missing',
      );
    }
    if (id !== undefined) {
      if (!isVid(id)) throw new BridgeConfigError('incorrect trunk id parameter');
      vids.add(id);
    }
  }
  if (vids.size === 0) return undefined;
  return [...vids].sort((a, b) => a - b);
}
