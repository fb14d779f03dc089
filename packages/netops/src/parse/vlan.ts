/** Typed bridge VLAN entries from `bridge -json vlan show`. */
import { isObject, num, str, strings, topArray } from './json-fields.js';

/** One VLAN (or range, when `vidEnd` is set) on a bridge port. */
export interface VlanEntry {
  readonly vid: number;
  /** Last VID of a range; undefined for a single VID. */
  readonly vidEnd: number | undefined;
  readonly pvid: boolean;
  readonly untagged: boolean;
}

/** The VLANs of one port (or of the bridge itself). */
export interface PortVlans {
  readonly ifname: string;
  readonly vlans: readonly VlanEntry[];
}

/** Parses `bridge -json vlan show` (iproute2 6.x shape: `[{ifname, vlans: [{vlan, flags}]}]`). */
export function parseVlans(json: unknown): PortVlans[] {
  return topArray(json, 'vlan').flatMap((port) => {
    const ifname = str(port, 'ifname');
    if (ifname === undefined) return [];
    const raw = Array.isArray(port.vlans) ? port.vlans.filter(isObject) : [];
    const vlans = raw.flatMap((v): VlanEntry[] => {
      const vid = num(v, 'vlan');
      if (vid === undefined) return [];
      const flags = strings(v, 'flags');
      return [
        {
          vid,
          vidEnd: num(v, 'vlanEnd'),
          pvid: flags.includes('PVID'),
          untagged: flags.includes('Egress Untagged'),
        },
      ];
    });
    return [{ ifname, vlans }];
  });
}
