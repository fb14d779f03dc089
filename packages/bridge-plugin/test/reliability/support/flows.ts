/**
 * The configurations the reliability suites run, and the flows they share: a clean ADD then DEL
 * (the "control" cycle) and the residue such a cycle leaves on a fresh host, which is the
 * baseline "nothing left" is measured against (the shared bridge and shared firewall scaffolding
 * stay; nothing tied to one container may).
 */
import {
  bridgeUnderTestPath,
  isReferenceBridge,
  residueDiff,
  type Netns,
  type Residue,
} from '@cnikit-tools/test-utils';
import { BRIDGE, describeOutcome, NETWORK, Scene, type ConfigShape } from './scene.js';

/** A configuration to run scenarios with. */
export interface Setup {
  /** Title part. */
  name: string;
  shape: ConfigShape;
  subnets: readonly string[];
  /**
   * Why the reference 1.1.1 cannot pass a scenario family with this setup (measured here), by
   * family; those tests are ours-only when the binary under test is the reference.
   */
  referenceFails: ReferenceFailures;
}

/** Scenario families the reference 1.1.1 fails with a setup, each with the measured reason. */
export interface ReferenceFailures {
  /** ADD killed, then DEL, then another ADD (kill-points.test.ts). */
  kills?: string;
  /** DEL that cannot enter the netns (empty CNI_NETNS, or the netns gone). */
  delWithoutNetns?: string;
  /** DEL after an ADD that failed once the container had its addresses. */
  delAfterConfiguredFailure?: string;
}

/**
 * After an interrupted first ADD (bridge made, port attached, no address yet) and its DEL, the
 * bridge has no port and no pinned MAC; the reference's next ADD then re-pins the MAC it read
 * before attaching the port, 00:00:00:00:00:00.
 */
const MAC_PIN_BUG =
  'fails the ADD that follows an interrupted first ADD and its DEL ' +
  '("could not set bridge\'s mac: invalid argument")';
/** reference-bridge.md §2.2 and upstream #810. */
const RULES_NEED_NETNS =
  'removes masquerade and spoof-check rules only when DEL can enter the netns (upstream #810)';
/** Measured: go-iptables' teardown deletes the jump to a chain the killed ADD never made. */
const PARTIAL_MASQ_DEL = 'fails DEL after a partial ipMasq setup (iptables -D of a missing chain)';

const common = { cniVersion: '1.0.0', name: NETWORK, type: 'bridge', bridge: BRIDGE };

/** A bridge that is not a gateway (so no address or MAC pin on it), with IPAM. */
export const NO_GATEWAY: Setup = {
  name: 'no gateway, IPv4',
  shape: (ipam) => ({ ...common, ipam }),
  subnets: ['10.30.0.0/24'],
  referenceFails: {},
};

/** A gateway bridge with IPAM and no firewall rules. */
export const PLAIN: Setup = {
  name: 'gateway bridge, IPv4',
  shape: (ipam) => ({ ...common, isGateway: true, ipam }),
  subnets: ['10.31.0.0/24'],
  referenceFails: { kills: MAC_PIN_BUG },
};

/** Every feature that leaves per-container state, masquerading through iptables. */
export const BUSY_IPTABLES: Setup = {
  name: 'ipMasq (iptables) + macspoofchk, dual stack',
  shape: (ipam) => ({ ...common, isGateway: true, ipMasq: true, macspoofchk: true, ipam }),
  subnets: ['10.32.0.0/24', 'fd00:32::/64'],
  referenceFails: {
    kills: `${MAC_PIN_BUG}, and ${PARTIAL_MASQ_DEL}`,
    delWithoutNetns: RULES_NEED_NETNS,
    delAfterConfiguredFailure: PARTIAL_MASQ_DEL,
  },
};

/** The same through the nftables masquerade backend (the reference 1.1.1 ignores the key). */
export const BUSY_NFTABLES: Setup = {
  name: 'ipMasq (nftables) + macspoofchk, dual stack',
  shape: (ipam) => ({
    ...common,
    isGateway: true,
    ipMasq: true,
    ipMasqBackend: 'nftables',
    macspoofchk: true,
    ipam,
  }),
  subnets: ['10.33.0.0/24', 'fd00:33::/64'],
  referenceFails: {
    kills: `${MAC_PIN_BUG}, and ${PARTIAL_MASQ_DEL}`,
    delWithoutNetns: RULES_NEED_NETNS,
    delAfterConfiguredFailure: PARTIAL_MASQ_DEL,
  },
};

/** Runs `fn` in a fresh scene and always cleans it up. */
export async function withScene<T>(bridge: string, fn: (scene: Scene) => Promise<T>): Promise<T> {
  const scene = await Scene.open(bridge);
  try {
    return await fn(scene);
  } finally {
    await scene.cleanup();
  }
}

/**
 * ADD then DEL of a new container, as a runtime does (DEL even after a failed ADD, with the ADD
 * result as prevResult when there is one); throws when either fails.
 */
export async function controlCycle(scene: Scene, setup: Setup): Promise<void> {
  const { ns, id } = await scene.container();
  const config = scene.config(setup.shape, setup.subnets);
  const add = await scene.run('ADD', { containerId: id, netns: ns.path, config });
  const prevResult = add.exitCode === 0 ? (JSON.parse(add.stdout) as unknown) : undefined;
  const del = await scene.run('DEL', {
    containerId: id,
    netns: ns.path,
    config: prevResult === undefined ? config : { ...config, prevResult },
  });
  if (add.exitCode !== 0) throw new Error(`control ADD failed: ${describeOutcome(add)}`);
  if (del.exitCode !== 0) throw new Error(`control DEL failed: ${describeOutcome(del)}`);
}

/** The residue of one control cycle on a fresh host. */
export function baselineOf(bridge: string, setup: Setup): Promise<Residue> {
  return withScene(bridge, async (scene) => {
    await controlCycle(scene, setup);
    return scene.residue();
  });
}

/** Problems with what a scene left, compared with the baseline: empty when nothing leaked. */
export async function leftovers(
  scene: Scene,
  baseline: Residue,
  containers: readonly Netns[],
): Promise<string[]> {
  return residueDiff(baseline, await scene.residue(containers));
}

/** A test title, tagged and marked skipped when the reference runs a family it fails. */
export function referenceGate(
  title: string,
  reason: string | undefined,
): { title: string; skip: boolean } {
  const skip = reason !== undefined && isReferenceBridge(bridgeUnderTestPath());
  return {
    title: skip ? `${title} [ours-only: skipped, the reference 1.1.1 ${reason}]` : title,
    skip,
  };
}
