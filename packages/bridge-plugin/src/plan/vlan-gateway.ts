/**
 * The VLAN gateway interface (isGateway with `vlan`): `<bridge>.<vlan>`, the named end of a veth
 * pair in the host namespace whose random `veth…` end is a bridge port in that VLAN. It is shared by
 * every container of the VLAN and never removed, like the bridge.
 */
import { IpBatch, showLink, type LinkInfo, type QueryHandle } from '@cnikit/netops';
import { EXISTS } from './exists.js';
import { WordedBatch } from './worded-batch.js';

/** Inputs of {@link vlanGatewayBatch}. */
export interface VlanGatewayInput {
  bridge: string;
  /** `<bridge>.<vlan>`. */
  name: string;
  /** The random name of its bridge-side end. */
  peer: string;
  mtu: number;
}

/** Creates the pair, attaches the peer, brings both up and reads the gateway interface. */
export function vlanGatewayBatch(input: VlanGatewayInput): {
  batch: WordedBatch<IpBatch>;
  gateway: QueryHandle<LinkInfo | undefined>;
} {
  const { bridge, name, peer } = input;
  const mtu = input.mtu > 0 ? input.mtu : undefined;
  const fail = (reason: string): string => `faild to create vlan gateway "${name}": ${reason}`;
  const batch = new WordedBatch(new IpBatch());
  batch.with(
    (reason) =>
      fail(
        EXISTS.test(reason)
          ? `container veth name ("${name}") peer provided ("${peer}") already exists`
          : `failed to make veth pair: ${reason}`,
      ),
    (b) => b.vethAdd({ name, peerName: peer, mtu, txQueueLen: 0 }, { undo: false }),
  );
  batch.with(fail, (b) => b.linkSet(peer, { master: bridge, up: true }));
  batch.with(fail, (b) => b.bridgePortSet(peer, { hairpin: false, isolated: false }));
  batch.with(
    (reason) => `failed to up "${name}": ${reason}`,
    (b) => b.linkSet(name, { up: true }),
  );
  let gateway!: QueryHandle<LinkInfo | undefined>;
  batch.with(undefined, (b) => (gateway = b.query(showLink(name))));
  return { batch, gateway };
}
