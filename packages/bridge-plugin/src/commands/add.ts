/**
 * ADD: the reference's steps (reference-bridge.md §2.1) applied as one process per namespace and
 * step, with IPAM running beside the host batch, and a journal that removes everything this ADD
 * created (veth, IP allocation, rules) when any later step fails. Only the shared bridge, its
 * gateway address and the VLAN gateway interface may stay, as with the reference.
 */
import type { Interface, Result } from '@cnikit/cni-skel';
import { planInterface, type InterfacePlan } from '@cnikit/ipam-client';
import {
  IpBatch,
  isNetopsError,
  queryBatch,
  randomVethName,
  showLink,
  showVlans,
  type LinkInfo,
} from '@cnikit/netops';
import { BridgeError } from '../errors.js';
import { isZeroMac, randomLocalMac } from '../net/mac.js';
import { addBridgeAddrs } from '../plan/bridge-addr.js';
import { addRoutes, containerSetup } from '../plan/container-setup.js';
import { CONTAINER_INTERFACE_INDEX, planGateways, type GatewayPlan } from '../plan/gateways.js';
import { hostSetupBatch } from '../plan/host-setup.js';
import { Journal } from '../plan/journal.js';
import { vlanGatewayBatch } from '../plan/vlan-gateway.js';
import { needsVlanProgramming, needsVlanRead, vlanPortBatch } from '../plan/vlan-port.js';
import { WordedBatch, applyWorded } from '../plan/worded-batch.js';
import { buildResult } from '../result/build-result.js';
import type { AddInputs } from './add-checks.js';
import type { StartedAdd } from './add-start.js';
import type { CommandContext } from './command-context.js';
import { ipam, masquerade, spoofCheck } from './effects.js';
import { settleContainer, waitPortUp } from './waits.js';

/**
 * Runs ADD on from startAdd (add-start.ts: inputs checked, IPAM started); on failure undoes what
 * it did, the IP allocation included, and rethrows the original error.
 */
export async function cmdAdd(c: CommandContext, started: StartedAdd): Promise<Result> {
  const journal = new Journal();
  // Journaled first so that it runs last: the address is released only once the link is gone. It
  // waits for the IPAM call, which may still run when an early step fails.
  journal.task('IPAM DEL', async () => {
    const allocated = await started.ipam.then(
      (result) => result !== undefined,
      () => false,
    );
    if (allocated) await ipam.del(c);
  });
  try {
    return await applyAdd(c, started, journal);
  } catch (err) {
    const step = c.log.step('rollback');
    const problems = await journal.rollback(c.rt.runner);
    step.end({ problems: problems.length });
    for (const p of problems) c.rt.stderr.write(`bridge: rollback: ${p.message}\n`);
    throw err;
  }
}

/** The reference's error for a link that has the bridge's name but is no bridge. */
const notABridge = (name: string): BridgeError =>
  new BridgeError(
    `failed to create bridge "${name}": "${name}" already exists but is not a bridge`,
  );

async function applyAdd(
  c: CommandContext,
  { inputs, ipam: ipamAdd }: StartedAdd,
  journal: Journal,
): Promise<Result> {
  const { conf, req, rt, log } = c;
  const hostVeth = randomVethName((n) => rt.randomBytes(n));
  const host = hostSetupBatch({
    bridge: conf.bridge,
    mtu: conf.mtu,
    vlanFiltering: conf.vlan !== 0 || conf.vlanTrunkGiven,
    promiscMode: conf.promiscMode,
    hostVeth,
    ifName: req.ifName,
    netns: req.netns,
    mac: inputs.mac,
    hairpinMode: conf.hairpinMode,
    portIsolation: conf.portIsolation,
  });

  // IPAM needs nothing from the host side: it runs beside the host batch, started first (see
  // add-start.ts) because it is the longer of the two.
  let step = log.step('host setup and IPAM ADD');
  const [ipamRun, hostRun] = await Promise.allSettled([
    ipamAdd,
    applyWorded(host.batch, { runner: rt.runner, netlink: rt.netlink, journal: journal.batches() }),
  ]);
  step.end();
  if (hostRun.status === 'rejected') {
    // A link of another kind under the bridge's name fails the batch at `master`: say why.
    // A failed read leaves the batch's own error to report.
    const [existing] = await queryBatch([showLink(conf.bridge)], { runner: rt.runner }).catch(
      () => [undefined] as const,
    );
    if (existing !== undefined && existing.kind !== 'bridge') throw notABridge(conf.bridge);
    throw hostRun.reason;
  }
  if (ipamRun.status === 'rejected') throw ipamRun.reason;

  const bridge = hostRun.value.read(host.bridge);
  if (bridge?.kind !== 'bridge') throw notABridge(conf.bridge);
  const hostInfo = hostRun.value.read(host.hostVeth);
  // The reference ignores these failures too (IPv6 may be off).
  const acceptRa = Promise.all(
    [conf.bridge, hostVeth].map((dev) =>
      rt.writeSysctl(`net/ipv6/conf/${dev}/accept_ra`, '0').catch(() => undefined),
    ),
  );

  if (needsVlanProgramming(conf.vlan, conf.vlans)) {
    step = log.step('port VLANs');
    await programVlans(c, hostVeth, conf.vlan, conf.vlans);
    step.end();
  }

  let gateways: GatewayPlan | undefined;
  if (inputs.l3) {
    const ipamResult = ipamRun.value;
    if ((ipamResult?.ips?.length ?? 0) === 0)
      throw new BridgeError('IPAM plugin returned missing IP config');
    gateways = planGateways(ipamResult ?? {}, conf);
  }

  // Masquerading needs only the addresses: it runs beside the container setup. Teardowns go by
  // identity, so they are journaled before their setup starts; every task is awaited before a
  // failure is reported, so no setup finishes behind the rollback's back.
  const ips = (gateways?.ips ?? []).map((ip) => ip.address);
  if (inputs.l3 && conf.ipMasq)
    journal.task('masquerade teardown', () => masquerade.teardown(c, ips));
  const masq = inputs.l3 && conf.ipMasq ? masquerade.setup(c, ips) : undefined;
  // Its failure is reported with the other steps' below; until then it must not count as unhandled.
  masq?.catch(noop);

  // The gateway addresses need only the addresses too: they go on beside the container setup.
  step = log.step('container setup, gateway, masquerade');
  const gateway = setupGateway(c, inputs, bridge, gateways);
  gateway.catch(noop);
  const containerMac = await setupContainer(c, gateways, [
    { name: conf.bridge },
    { name: hostVeth },
  ]).catch(async (err: unknown) => {
    await Promise.all([masq?.then(noop, noop), gateway.then(noop, noop)]);
    throw err;
  });
  if (conf.macspoofchk) journal.task('spoof check teardown', () => spoofCheck.teardown(c));
  const [final] = await allOrFirstError([
    gateway,
    masq,
    conf.macspoofchk ? spoofCheck.setup(c, hostVeth, containerMac) : undefined,
    acceptRa,
  ] as const);
  step.end();

  let portMac = hostInfo?.mac;
  if (!conf.disableContainerInterface) {
    step = log.step('port state');
    portMac = (await waitPortUp(rt, hostVeth, hostInfo?.ifindex)).mac ?? portMac;
    step.end();
  }

  const bridgeMac = final.pinnedMac ?? hostRun.value.read(host.bridgeAfterJoin)?.mac ?? bridge.mac;
  return buildResult(
    {
      bridge: { name: conf.bridge, mac: bridgeMac ?? '' },
      hostVeth: { name: hostVeth, mac: portMac ?? '' },
      container: { name: req.ifName, mac: containerMac, sandbox: req.netns },
      vlanGateway: final.vlanGateway,
      ips: gateways?.ips ?? [],
      routes: gateways?.routes ?? [],
      ipamDns: ipamRun.value?.dns,
      confDns: conf.dns,
    },
    req.prevResult,
  );
}

/** The port's VLANs: read what the kernel gave it (when it must go), then one `bridge -batch`. */
async function programVlans(
  c: CommandContext,
  port: string,
  vlan: number,
  vlans: readonly number[],
): Promise<void> {
  const { conf, rt } = c;
  const input = { port, vlan, vlans, preserveDefaultVlan: conf.preserveDefaultVlan };
  let current: number[] = [];
  if (needsVlanRead(input)) {
    try {
      const [ports] = await queryBatch([showVlans(port)], { runner: rt.runner });
      current = ports.flatMap((p) => p.vlans.map((v) => v.vid));
    } catch (err) {
      const reason = isNetopsError(err) ? err.message : String(err);
      throw new BridgeError(`failed to remove default vlan on interface "${port}": ${reason}`, {
        cause: err,
      });
    }
  }
  const batch = vlanPortBatch({ ...input, current });
  if (batch.batch.size > 0) await applyWorded(batch, { runner: rt.runner, onError: 'stop' });
}

/**
 * Sysctls, addresses, link up and routes inside the container: over netlink from this process where
 * the runtime can, else in one `ip` process started there.
 */
async function setupContainer(
  c: CommandContext,
  gateways: GatewayPlan | undefined,
  hostIfaces: Interface[],
): Promise<string> {
  const { conf, req, rt } = c;
  const plan: InterfacePlan | undefined =
    gateways === undefined
      ? undefined
      : planInterface(req.ifName, {
          cniVersion: '1.1.0',
          interfaces: [...hostIfaces, { name: req.ifName }],
          ips: gateways.ips.map((ip) => ({ ...ip, interface: CONTAINER_INTERFACE_INDEX })),
          routes: gateways.routes,
        });
  const routesLater = plan !== undefined && plan.settle && conf.enabledad;
  const setup = containerSetup({
    ifName: req.ifName,
    plan,
    enabledad: conf.enabledad,
    keepDown: conf.disableContainerInterface,
    routesLater,
  });
  const result = await applyWorded(setup.batch, {
    runner: rt.runner,
    netns: req.netns,
    sysctls: setup.sysctls,
    enterNetns: rt.enterNetns,
    netlink: rt.netlink,
  });
  if (routesLater && plan !== undefined) {
    await settleContainer(rt, req.netns, req.ifName);
    const later = new WordedBatch(new IpBatch());
    addRoutes(later, req.ifName, plan.routes);
    await applyWorded(later, { runner: rt.runner, netns: req.netns, netlink: rt.netlink });
  }
  return result.read(setup.container)?.mac ?? '';
}

interface GatewaySetup {
  /** The MAC pinned on the bridge with a new gateway address; undefined when none was added. */
  pinnedMac: string | undefined;
  vlanGateway: Interface | undefined;
}

/**
 * Gateway addresses (bridge or VLAN interface), the MAC pin and forwarding, in one host batch when
 * an address is missing (none on later ADDs to the same bridge).
 */
async function setupGateway(
  c: CommandContext,
  inputs: AddInputs,
  bridge: LinkInfo,
  gateways: GatewayPlan | undefined,
): Promise<GatewaySetup> {
  const { conf, rt } = c;
  if (!inputs.isGateway || gateways === undefined)
    return { pinnedMac: undefined, vlanGateway: undefined };
  let link = bridge;
  let vlanGateway: Interface | undefined;
  if (inputs.vlanGateway !== undefined) {
    link = await ensureVlanGateway(c, inputs.vlanGateway, bridge);
    vlanGateway = { name: link.name, mac: link.mac ?? '' };
  }
  const batch = new WordedBatch(new IpBatch());
  // A bridge that lost its last port has no MAC to keep: pin a fresh one instead of failing.
  const pinMac = isZeroMac(link.mac) ? randomLocalMac((n) => rt.randomBytes(n)) : (link.mac ?? '');
  addBridgeAddrs(batch, {
    link: link.name,
    gateways: gateways.bridgeAddresses,
    existing: link.addresses,
    forceAddress: conf.forceAddress,
    pinMac,
  });
  const pinned = batch.batch.size > 0;
  if (pinned) await applyWorded(batch, { runner: rt.runner, netlink: rt.netlink });
  for (const family of [4, 6] as const)
    if (gateways.bridgeAddresses[family].length > 0) await enableForwarding(c, family);
  // The VLAN interface carries the pin then; the bridge keeps following its ports.
  return { pinnedMac: pinned && vlanGateway === undefined ? pinMac : undefined, vlanGateway };
}

/** `<bridge>.<vlan>`, created (with its bridge port in the VLAN) when missing. */
async function ensureVlanGateway(
  c: CommandContext,
  name: string,
  bridge: LinkInfo,
): Promise<LinkInfo> {
  const { conf, rt } = c;
  const [found] = await queryBatch([showLink(name)], { runner: rt.runner });
  if (found !== undefined) return found;
  const peer = randomVethName((n) => rt.randomBytes(n));
  const created = vlanGatewayBatch({ bridge: conf.bridge, name, peer, mtu: bridge.mtu });
  const result = await applyWorded(created.batch, { runner: rt.runner });
  await rt.writeSysctl(`net/ipv6/conf/${peer}/accept_ra`, '0').catch(() => undefined);
  await programVlans(c, peer, conf.vlan, []);
  const gateway = result.read(created.gateway);
  if (gateway === undefined) throw new BridgeError(`failed to lookup "${name}"`);
  return gateway;
}

/** ip_forward / all.forwarding := 1 unless already 1 (read first, as the reference). */
async function enableForwarding(c: CommandContext, family: 4 | 6): Promise<void> {
  const key = family === 4 ? 'net/ipv4/ip_forward' : 'net/ipv6/conf/all/forwarding';
  try {
    const current = await c.rt.readSysctl(key).catch(() => '');
    if (current.trim() !== '1') await c.rt.writeSysctl(key, '1');
  } catch (err) {
    throw new BridgeError(`failed to enable forwarding: ${(err as Error).message}`, { cause: err });
  }
}

const noop = (): void => undefined;

/** Awaits every promise, then throws the first rejection (in argument order) if any. */
async function allOrFirstError<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
