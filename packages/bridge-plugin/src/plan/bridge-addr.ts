/**
 * The gateway addresses on the bridge (reference ensureAddr): an identical address means nothing
 * to do; another IPv4 address, or an overlapping IPv6 prefix, is a conflict (deleted with
 * forceAddress, an error otherwise); a new address is added ("exists" tolerated: concurrent ADDs)
 * and the bridge's MAC is pinned so it stops following its ports.
 */
import {
  IpBatch,
  cidrsOverlap,
  formatCidr,
  parseCidr,
  type AddrInfo,
  type IpFamily,
} from '@cnikit/netops';
import { BridgeError } from '../errors.js';
import { ipv4AddrLine } from './ipv4-addr.js';
import { WordedBatch } from './worded-batch.js';

/** Inputs of {@link bridgeAddrBatch}. */
export interface BridgeAddrInput {
  /** The link carrying the gateway (the bridge, or `<bridge>.<vlan>`). */
  link: string;
  /** Gateway CIDRs per family (`10.1.2.1/24`). */
  gateways: Record<IpFamily, readonly string[]>;
  /** The link's addresses when it was read. */
  existing: readonly AddrInfo[];
  forceAddress: boolean;
  /** The MAC to pin (the link's, or a fresh one when it has none). */
  pinMac: string;
}

/**
 * The lines added to `batch`, or a BridgeError for a conflict without forceAddress
 * (`failed to set bridge addr: "cni0" already has an IP address different from 10.1.2.1/24`).
 */
export function addBridgeAddrs(batch: WordedBatch<IpBatch>, input: BridgeAddrInput): void {
  const wrap = (msg: string): string => `failed to set bridge addr: ${msg}`;
  const present = input.existing.map((a) => ({ cidr: a.cidr, family: a.family, gone: false }));
  let added = false;
  for (const family of [4, 6] as const) {
    for (const gw of input.gateways[family]) {
      const want = parseCidr(gw);
      const wantText = formatCidr(want);
      if (present.some((p) => !p.gone && p.cidr === wantText)) continue;
      for (const p of present) {
        if (p.gone || p.family !== family) continue;
        if (family === 6 && !cidrsOverlap(parseCidr(p.cidr), want)) continue;
        if (!input.forceAddress)
          throw new BridgeError(
            wrap(`"${input.link}" already has an IP address different from ${wantText}`),
          );
        p.gone = true;
        batch.with(
          (reason) => wrap(`failed to remove IP addr from "${input.link}": ${reason}`),
          (b) => b.addrDel(input.link, p.cidr, { tolerate: ['not-found'] }),
        );
      }
      batch.with(
        (reason) => wrap(`could not add IP address ${wantText} to "${input.link}": ${reason}`),
        (b) =>
          family === 4
            ? b.add(ipv4AddrLine(wantText, input.link, ['exists']))
            : b.addrAdd(input.link, wantText, { tolerate: ['exists'], undo: false }),
      );
      present.push({ cidr: wantText, family, gone: false });
      added = true;
    }
  }
  if (added)
    batch.with(
      (reason) => wrap(`could not set bridge's mac: ${reason}`),
      (b) => b.linkSet(input.link, { mac: input.pinMac }),
    );
}

/** A batch holding only the gateway lines (tests and the VLAN gateway path). */
export function bridgeAddrBatch(input: BridgeAddrInput): WordedBatch<IpBatch> {
  const batch = new WordedBatch(new IpBatch());
  addBridgeAddrs(batch, input);
  return batch;
}
