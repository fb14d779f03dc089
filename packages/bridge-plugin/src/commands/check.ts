/**
 * CHECK: the reference's verification of prevResult against the system (bridge, container veth,
 * host veth, addresses, routes), plus what the reference leaves out: L2 networks work (no IPAM
 * CHECK then), and hairpin, isolation, MTU and the masquerade rules are verified too. The reads run
 * beside the IPAM CHECK (nothing here changes the system), whose failure is still the one reported
 * first, as the reference runs it first. Both sides are read over netlink where the runtime can
 * (no process but the IPAM plugin), else by one `ip` process each.
 */
import type { Interface, Result, Route } from '@cnikit/cni-skel';
import {
  IpBatch,
  applyBatch,
  canonicalCidr,
  canonicalIp,
  cidrNetwork,
  formatCidr,
  listRoutes,
  showLink,
  tryParseCidr,
  type LinkInfo,
  type RouteInfo,
} from '@cnikit/netops';
import { isL3, type BridgeConf } from '../config/netconf.js';
import { BridgeError } from '../errors.js';
import { checkIfName } from '../net/names.js';
import { checkNetnsPath } from './add-checks.js';
import type { CommandContext } from './command-context.js';
import { ipam, masquerade } from './effects.js';
import { openNetns } from './netns-file.js';
import { nextTurn } from './next-turn.js';

/** Runs CHECK. */
export async function cmdCheck(c: CommandContext): Promise<void> {
  await openNetns(c.rt, checkNetnsPath(c.req.netns));
  const ipamCheck = isL3(c.conf) ? ipam.check(c) : undefined;
  ipamCheck?.catch(() => undefined);
  // The IPAM plugin, the longest part, reaches its spawn before the reads take the thread.
  await nextTurn();
  const [ipamOutcome, systemCheck] = await Promise.allSettled([ipamCheck, checkSystem(c)]);
  if (ipamOutcome.status === 'rejected') throw ipamOutcome.reason;
  if (systemCheck.status === 'rejected') throw systemCheck.reason;
}

/** prevResult against the links, addresses, routes and rules it describes. */
async function checkSystem(c: CommandContext): Promise<void> {
  const { conf, req } = c;
  const prev = req.prevResult;
  if (prev === undefined) throw new BridgeError('Required prevResult missing');
  const interfaces = prev.interfaces ?? [];
  const bridgeEntry = interfaces.find((i) => i.name === conf.bridge);
  const containerEntry = interfaces.find((i) => i.name === req.ifName && (i.sandbox ?? '') !== '');
  if (bridgeEntry === undefined)
    throw new BridgeError(`Could not find bridge "${conf.bridge}" in prevResult`);
  if (containerEntry === undefined)
    throw new BridgeError(`Could not find container interface "${req.ifName}" in prevResult`);
  if (containerEntry.sandbox !== req.netns)
    throw new BridgeError(
      `Sandbox in prevResult ${containerEntry.sandbox ?? ''} doesn't match configured netns: ${req.netns}`,
    );
  const candidates = interfaces.filter(
    (i) => i !== bridgeEntry && (i.sandbox ?? '') === '' && /^veth/.test(i.name),
  );

  const [host, inside] = await Promise.all([
    readHost(c, conf.bridge, candidates),
    readContainer(c, req.ifName),
  ]);
  checkBridge(c, bridgeEntry, host.bridge);
  const container = checkContainer(req.ifName, containerEntry, inside.link);
  const veth = findHostVeth(candidates, host.veths, container, host.bridge);
  checkPort(c, veth, container);
  checkAddresses(prev, req.ifName, container);
  checkRoutes(prev.routes ?? [], inside.routes);
  if (isL3(conf) && conf.ipMasq)
    await masquerade.check(
      c,
      (prev.ips ?? []).map((ip) => ip.address),
    );
}

async function readHost(
  c: CommandContext,
  bridge: string,
  candidates: Interface[],
): Promise<{ bridge: LinkInfo | undefined; veths: Map<string, LinkInfo> }> {
  const batch = new IpBatch();
  const bridgeRead = batch.query(showLink(checkIfName(bridge, 'bridge')));
  const reads = candidates.map(
    (cand) => [cand.name, batch.query(showLink(checkIfName(cand.name, 'interface')))] as const,
  );
  const result = await applyBatch(batch, { runner: c.rt.runner, netlink: c.rt.netlink });
  const veths = new Map<string, LinkInfo>();
  for (const [name, handle] of reads) {
    const info = result.read(handle);
    if (info) veths.set(name, info);
  }
  return { bridge: result.read(bridgeRead), veths };
}

async function readContainer(
  c: CommandContext,
  ifName: string,
): Promise<{ link: LinkInfo | undefined; routes: readonly RouteInfo[] }> {
  const batch = new IpBatch();
  const link = batch.query(showLink(checkIfName(ifName, 'interface')));
  const routes = batch.query(listRoutes({ table: 'all' }));
  const result = await applyBatch(batch, {
    runner: c.rt.runner,
    netns: c.req.netns,
    netlink: c.rt.netlink,
  });
  return { link: result.read(link), routes: result.read(routes) };
}

const sameMac = (expected: string | undefined, actual: string | undefined): boolean =>
  expected === undefined || expected === '' || expected.toLowerCase() === actual;

/**
 * True when this network's ADD pins the bridge MAC (gateway addresses on the bridge itself).
 * Otherwise the kernel gives the bridge the lowest MAC of its ports, which changes as containers
 * come and go, so the MAC in prevResult is not compared (CHECK works for L2 networks).
 */
function bridgeMacPinned(conf: BridgeConf): boolean {
  return isL3(conf) && (conf.isGateway || conf.isDefaultGateway) && conf.vlan === 0;
}

function checkBridge(c: CommandContext, entry: Interface, info: LinkInfo | undefined): void {
  if (entry.name === '') throw new BridgeError('Interface name missing ');
  if (info === undefined) throw new BridgeError(`Error: Bridge ${entry.name} not found`);
  if ((entry.sandbox ?? '') !== '')
    throw new BridgeError(`Bridge interface ${entry.name} should not be in a netns`);
  if (info.kind !== 'bridge') throw new BridgeError(`Error: ${entry.name} is not a bridge`);
  if (bridgeMacPinned(c.conf) && !sameMac(entry.mac, info.mac))
    throw new BridgeError(
      `Bridge interface ${entry.name} Mac ${entry.mac ?? ''} doesn't match: ${info.mac ?? ''}`,
    );
  if (c.conf.promiscMode !== info.promisc)
    throw new BridgeError(
      `Bridge interface ${entry.name} promiscuous mode is ${info.promisc ? 'on' : 'off'}, expected ${c.conf.promiscMode ? 'on' : 'off'}`,
    );
}

function checkContainer(ifName: string, entry: Interface, info: LinkInfo | undefined): LinkInfo {
  if (info === undefined) throw new BridgeError(`Error: Container interface ${ifName} not found`);
  if (info.kind !== 'veth')
    throw new BridgeError(`Error: Container interface ${ifName} not of type veth`);
  if (!sameMac(entry.mac, info.mac))
    throw new BridgeError(
      `Interface ${ifName} Mac ${entry.mac ?? ''} doesn't match container Mac: ${info.mac ?? ''}`,
    );
  return info;
}

function findHostVeth(
  candidates: Interface[],
  found: Map<string, LinkInfo>,
  container: LinkInfo,
  bridge: LinkInfo | undefined,
): LinkInfo {
  for (const entry of candidates) {
    const info = found.get(entry.name);
    if (info === undefined) throw new BridgeError(`Error: Host interface ${entry.name} not found`);
    if (info.kind !== 'veth') continue;
    const ours =
      info.ifindex === container.peerIfindex &&
      info.peerIfindex === container.ifindex &&
      info.master === bridge?.name;
    if (!ours) continue;
    if (!sameMac(entry.mac, info.mac))
      throw new BridgeError(
        `Interface ${entry.name} Mac doesn't match: ${entry.mac ?? ''} not found`,
      );
    return info;
  }
  throw new BridgeError('Error: veth pair not found or not attached to the bridge');
}

function checkPort(c: CommandContext, veth: LinkInfo, container: LinkInfo): void {
  const { conf } = c;
  if (veth.hairpin !== undefined && veth.hairpin !== conf.hairpinMode)
    throw new BridgeError(
      `Interface ${veth.name} hairpin mode doesn't match: expected ${conf.hairpinMode}`,
    );
  if (veth.isolated !== undefined && veth.isolated !== conf.portIsolation)
    throw new BridgeError(
      `Interface ${veth.name} isolation doesn't match: expected ${conf.portIsolation}`,
    );
  if (conf.mtu > 0)
    for (const l of [veth, container])
      if (l.mtu !== conf.mtu)
        throw new BridgeError(`Interface ${l.name} MTU ${l.mtu} doesn't match ${conf.mtu}`);
}

function checkAddresses(prev: Result, ifName: string, link: LinkInfo): void {
  const present = new Set(link.addresses.map((a) => a.cidr));
  const interfaces = prev.interfaces ?? [];
  for (const ip of prev.ips ?? []) {
    if (ip.interface !== undefined && interfaces[ip.interface]?.name !== ifName) continue;
    const want = tryParseCidr(ip.address) ? canonicalCidr(ip.address) : ip.address;
    if (!present.has(want))
      throw new BridgeError(`Failed to match addr ${ip.address} on interface ${ifName}`);
  }
}

function checkRoutes(expected: Route[], routes: readonly RouteInfo[]): void {
  for (const route of expected) {
    const wantDst = canonicalNetwork(route.dst);
    const match = routes.some(
      (r) =>
        r.dst === wantDst &&
        (route.gw === undefined ||
          r.gateway === canonicalIp(route.gw) ||
          r.nexthops.some((h) => h.gateway === canonicalIp(route.gw ?? ''))),
    );
    if (!match)
      throw new BridgeError(
        `Failed to match route ${route.dst}${route.gw ? ` via ${route.gw}` : ''}`,
      );
  }
}

/** The network form of a CIDR ("10.1.0.5/16" -> "10.1.0.0/16"), as routes are printed. */
function canonicalNetwork(cidr: string): string {
  const c = tryParseCidr(cidr);
  return c === undefined ? cidr : formatCidr(cidrNetwork(c));
}
