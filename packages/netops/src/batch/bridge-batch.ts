/**
 * {@link BridgeBatch}: bridge-port VLAN entries, applied by one `bridge -batch -` process. (Port
 * flags such as hairpin and isolated go through {@link IpBatch.bridgePortSet} instead, so they
 * share the ip batch.)
 */
import { assertIfName, intWord } from '../validate.js';
import { Batch } from './batch.js';
import { makeLine, type OpOptions } from './line.js';

/** Options of {@link BridgeBatch.vlanAdd}. */
export interface VlanAddOptions extends OpOptions {
  /** Untagged frames entering the port are put in this VLAN. */
  pvid?: boolean;
  /** Frames of this VLAN leave the port untagged. */
  untagged?: boolean;
}

function vidWord(vid: number): string {
  return intWord(vid, 1, 4094, 'VLAN id');
}

/** A batch for `bridge -batch -` (VLAN entries on bridge ports, and `showVlans` reads). */
export class BridgeBatch extends Batch {
  readonly tool = 'bridge' as const;

  /** Adds VLAN `vid` to port `dev` (`bridge vlan add dev DEV vid VID [pvid] [untagged] master`). */
  vlanAdd(dev: string, vid: number, opts: VlanAddOptions = {}): this {
    const words = ['vlan', 'add', 'dev', assertIfName(dev), 'vid', vidWord(vid)];
    if (opts.pvid) words.push('pvid');
    if (opts.untagged) words.push('untagged');
    words.push('master');
    return this.add(
      makeLine(words, {
        tolerate: opts.tolerate,
        undo: opts.undo === false ? undefined : vlanDelLine(dev, vid, ['not-found']),
      }),
    );
  }

  /** Removes VLAN `vid` from port `dev`, e.g. the default PVID 1 the kernel gives new ports. */
  vlanDel(dev: string, vid: number, opts: OpOptions = {}): this {
    return this.add(vlanDelLine(dev, vid, opts.tolerate ?? []));
  }
}

function vlanDelLine(dev: string, vid: number, tolerate: OpOptions['tolerate']) {
  return makeLine(['vlan', 'del', 'dev', assertIfName(dev), 'vid', vidWord(vid), 'master'], {
    tolerate,
  });
}
