/**
 * The host side of an ADD as one batch (reference steps 2, 4 and 5): ensure the bridge (an
 * existing one is tolerated and left as it is), create the veth pair with the container end
 * placed straight into the container's namespace, attach the host end to the bridge with hairpin
 * and isolation, and read back what the result and the next steps need (the bridge before and
 * after the port joined, the host veth).
 */
import { IpBatch, showLink, type LinkInfo, type QueryHandle } from '@cnikit/netops';
import { EXISTS } from './exists.js';
import { WordedBatch } from './worded-batch.js';

/** What the host batch is made from (names are checked again by netops). */
export interface HostSetupInput {
  bridge: string;
  mtu: number;
  /** Create a new bridge with vlan_filtering (vlan set, or vlanTrunk given). */
  vlanFiltering: boolean;
  promiscMode: boolean;
  hostVeth: string;
  ifName: string;
  /** The container's netns path (CNI_NETNS). */
  netns: string;
  /** The container end's MAC, canonical form. */
  mac: string | undefined;
  hairpinMode: boolean;
  portIsolation: boolean;
}

/** The batch and the handles of its reads. */
export interface HostSetup {
  batch: WordedBatch<IpBatch>;
  /** The bridge, read before the veth joins it. */
  bridge: QueryHandle<LinkInfo | undefined>;
  /** The host veth, read after it joined. */
  hostVeth: QueryHandle<LinkInfo | undefined>;
  /** The bridge again, after the veth joined (its MAC may have followed the new port's). */
  bridgeAfterJoin: QueryHandle<LinkInfo | undefined>;
}

/** The steps, in order; only the veth has an undo (the bridge is shared and stays). */
export function hostSetupBatch(input: HostSetupInput): HostSetup {
  const { bridge, hostVeth, ifName } = input;
  const mtu = input.mtu > 0 ? input.mtu : undefined;
  const bridgeFail = (what: string) => (reason: string) =>
    `failed to create bridge "${bridge}": ${what}${reason}`;
  const batch = new WordedBatch(new IpBatch());
  batch.with(bridgeFail(`could not add "${bridge}": `), (b) =>
    b.bridgeAdd(bridge, { mtu, vlanFiltering: input.vlanFiltering }),
  );
  if (input.promiscMode)
    batch.with(bridgeFail(`could not set promiscuous mode on "${bridge}": `), (b) =>
      b.linkSet(bridge, { promisc: true }),
    );
  batch.with(bridgeFail(''), (b) => b.linkSet(bridge, { up: true }));
  // Read before the veth joins: this MAC is what the gateway step pins (as the reference, whose
  // bridge object predates the port), so the bridge keeps its own MAC instead of a port's.
  let bridgeRead!: QueryHandle<LinkInfo | undefined>;
  batch.with(undefined, (b) => (bridgeRead = b.query(showLink(bridge))));
  batch.with(
    (reason) =>
      EXISTS.test(reason)
        ? `container veth name ("${ifName}") peer provided ("${hostVeth}") already exists`
        : `failed to make veth pair: ${reason}`,
    // The reference leaves txqueuelen at 0 on both ends; the kernel default would be 1000.
    (b) =>
      b.vethAdd({
        name: hostVeth,
        peerName: ifName,
        peerNetns: input.netns,
        mtu,
        peerMac: input.mac,
        txQueueLen: 0,
      }),
  );
  batch.with(
    (reason) => `failed to connect "${hostVeth}" to bridge ${bridge}: ${reason}`,
    (b) => b.linkSet(hostVeth, { master: bridge, up: true }),
  );
  batch.with(
    (reason) => `failed to setup hairpin mode for ${hostVeth}: ${reason}`,
    (b) => b.bridgePortSet(hostVeth, { hairpin: input.hairpinMode, isolated: input.portIsolation }),
  );
  let vethRead!: QueryHandle<LinkInfo | undefined>;
  batch.with(undefined, (b) => (vethRead = b.query(showLink(hostVeth))));
  // A bridge without a pinned MAC takes its ports' lowest: this is the MAC after the port joined.
  let bridgeAfter!: QueryHandle<LinkInfo | undefined>;
  batch.with(undefined, (b) => (bridgeAfter = b.query(showLink(bridge))));
  return { batch, bridge: bridgeRead, hostVeth: vethRead, bridgeAfterJoin: bridgeAfter };
}
