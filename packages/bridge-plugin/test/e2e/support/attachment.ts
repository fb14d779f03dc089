/**
 * The assertions every ADD scenario shares (reference-bridge.md §3 "Common assertions"): result
 * shape for the version, bridge and veth wiring, container addresses and routes; and the DEL side.
 */
import type { ExpectStatic } from 'vitest';
import type { Netns, PluginRun } from '@cnikit-tools/test-utils';
import { cidrsOf, defaultGatewayOf, findLink, ofKind, view } from './inspect.js';
import { BRIDGE, describeRun, Testbed } from './testbed.js';
import { isLegacy, isV6, viewResult, type ResultView } from './versions.js';

/** What an attachment should look like after ADD. */
export interface AttachmentExpectation {
  /** Global IPv4 / IPv6 addresses in the container (default 0). */
  v4?: number;
  v6?: number;
  /** CIDRs the bridge must carry (isGateway). */
  gatewayCidrs?: readonly string[];
  /** isDefaultGateway: a default route via each family's gateway. */
  defaultRoute?: boolean;
  /** How many veths the host should have (default 1). */
  hostVeths?: number;
  /** Expected container MAC. */
  mac?: string;
}

/** Asserts a successful ADD and the kernel state it implies; returns the result view. */
export async function expectAttached(
  expect: ExpectStatic,
  bed: Testbed,
  ns: Netns,
  run: PluginRun,
  want: AttachmentExpectation = {},
): Promise<ResultView> {
  expect(run.exitCode, describeRun(run)).toBe(0);
  const result = viewResult(bed.version, run.json);
  expect(result.cniVersion).toBe(bed.version);

  const [host, container] = await Promise.all([view(bed.host), view(ns)]);
  const bridge = findLink(host, BRIDGE);
  expect(bridge?.linkinfo?.info_kind, 'bridge link kind').toBe('bridge');
  expect(bridge?.linkinfo?.info_data?.vlan_filtering ?? 0).toBe(0);
  expect(bridge?.flags).toContain('UP');
  const veths = ofKind(host, 'veth');
  expect(veths).toHaveLength(want.hostVeths ?? 1);
  expect(host.links).toHaveLength(2 + veths.length);

  const eth0 = findLink(container, 'eth0');
  expect(eth0, 'container eth0').toBeDefined();
  expect(eth0?.flags).toContain('UP');
  if (want.mac !== undefined) expect(eth0?.address).toBe(want.mac);
  // The host end is the veth whose ifindex the container end points at.
  const hostVeth = veths.find((l) => l.ifindex === eth0?.link_index);
  expect(hostVeth, 'host end of eth0').toBeDefined();
  expect(hostVeth?.ifname).toMatch(/^veth/);
  expect(hostVeth?.master).toBe(BRIDGE);
  expect(hostVeth?.operstate).toBe('UP');
  expect(hostVeth?.linkinfo?.info_slave_data?.hairpin).toBe(false);
  expect(hostVeth?.linkinfo?.info_slave_data?.isolated ?? false).toBe(false);

  if (!isLegacy(bed.version)) {
    expect(result.interfaces).toHaveLength(3);
    const [bIf, vIf, cIf] = result.interfaces ?? [];
    expect(bIf).toEqual({ name: BRIDGE, mac: bridge?.address });
    expect(vIf).toEqual({ name: hostVeth?.ifname, mac: hostVeth?.address });
    expect(cIf).toEqual({ name: 'eth0', mac: eth0?.address, sandbox: ns.path });
    const family040 = !bed.version.startsWith('1.');
    for (const ip of result.ips) {
      expect(ip.interface).toBe(2);
      if (family040) expect(ip.version).toBe(isV6(ip.address) ? '6' : '4');
      else expect(ip).not.toHaveProperty('version');
    }
  }

  const cidrs = cidrsOf(container, 'eth0');
  expect(cidrs.filter((c) => !isV6(c))).toHaveLength(want.v4 ?? 0);
  expect(cidrs.filter((c) => isV6(c))).toHaveLength(want.v6 ?? 0);
  expect(cidrs).toEqual(result.ips.map((ip) => ip.address).sort());

  if (want.gatewayCidrs) {
    const onBridge = cidrsOf(host, BRIDGE);
    for (const cidr of want.gatewayCidrs) expect(onBridge).toContain(cidr);
    // A gateway bridge has its own MAC, not the port's (reference: MAC pinned on address add).
    expect(bridge?.address).not.toBe(hostVeth?.address);
  }
  if (want.defaultRoute) {
    for (const family of [4, 6] as const) {
      const gw = result.ips.find((ip) => isV6(ip.address) === (family === 6))?.gateway;
      if (gw !== undefined) expect(defaultGatewayOf(container, family)).toBe(gw);
    }
  }
  return result;
}

/** Asserts DEL succeeded and removed both veth ends. */
export async function expectDetached(
  expect: ExpectStatic,
  bed: Testbed,
  ns: Netns,
  run: PluginRun,
  hostVethsLeft = 0,
): Promise<void> {
  expect(run.exitCode, describeRun(run)).toBe(0);
  expect(run.stdout.trim()).toBe('');
  const [host, container] = await Promise.all([view(bed.host), view(ns)]);
  expect(findLink(container, 'eth0')).toBeUndefined();
  expect(ofKind(host, 'veth')).toHaveLength(hostVethsLeft);
}

/** Runs `fn` with a fresh testbed and always cleans it up. */
export async function withTestbed<T>(
  version: Testbed['version'],
  fn: (bed: Testbed) => Promise<T>,
): Promise<T> {
  const bed = await Testbed.open(version);
  try {
    return await fn(bed);
  } finally {
    await bed.cleanup();
  }
}
