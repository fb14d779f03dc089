/** {@link ensureBridge}: the bridge plugin's first host step, in one process. */
import { applyBatch, type ApplyOptions } from './batch/apply.js';
import { IpBatch } from './batch/ip-batch.js';
import { NetopsError } from './errors.js';
import type { LinkInfo } from './parse/link.js';
import { showLink } from './queries.js';

/** The bridge wanted by {@link ensureBridge}. */
export interface BridgeSpec {
  name: string;
  /** MTU when the bridge is created; an existing bridge keeps its own. */
  mtu?: number;
  /** Ask for VLAN filtering when the bridge is created (not supported by every kernel). */
  vlanFiltering?: boolean;
  /** Turn promiscuous mode on (never turned off). */
  promisc?: boolean;
}

/** What {@link ensureBridge} found or made. */
export interface EnsuredBridge {
  readonly link: LinkInfo;
  /** False when it already existed. */
  readonly created: boolean;
}

/**
 * Creates the bridge if absent (kernel default txqueuelen; "exists" from a concurrent creator is
 * fine), sets it up (and promiscuous when asked), and reads it back, all in ONE `ip -batch`
 * process. Throws a NetopsError of kind `exists` when the name is taken by a link that is not a
 * bridge (`"NAME" already exists but is not a bridge`, as the reference says).
 */
export async function ensureBridge(
  spec: BridgeSpec,
  opts: Pick<ApplyOptions, 'netns' | 'runner' | 'timeoutMs' | 'journal'> = {},
): Promise<EnsuredBridge> {
  const batch = new IpBatch().bridgeAdd(spec.name, {
    mtu: spec.mtu,
    vlanFiltering: spec.vlanFiltering,
  });
  if (spec.promisc) batch.linkSet(spec.name, { promisc: true });
  batch.linkSet(spec.name, { up: true });
  const read = batch.query(showLink(spec.name));
  // -force: the lines after a tolerated "exists" still run, in the same process.
  const result = await applyBatch(batch, { ...opts, onError: 'continue' });
  const link = result.read(read);
  if (!link || link.kind !== 'bridge')
    throw new NetopsError(`"${spec.name}" already exists but is not a bridge`, {
      kind: 'exists',
      stage: 'command',
      netns: opts.netns,
    });
  return { link, created: result.outcomes[0]?.status === 'ok' };
}
