/**
 * Applying a result to an interface inside a container namespace, as the reference's
 * ipam.ConfigureIface does, in as few processes as netops allows:
 *
 * - one process (nsenter + sysctl script + `ip -batch`) writes the sysctls, adds the addresses,
 *   sets the link up and adds the routes, when no IPv6 gateway asks for address settling;
 * - with an IPv6 gateway the first process ends with a read of the link instead of the routes;
 *   if addresses are still tentative, netops' settleAddresses reads it again until they are not
 *   (one process per read, up to the settle bound), and one more process adds the routes.
 */
import type { Result } from '@cnikit/cni-skel';
import {
  IpBatch,
  applyBatch,
  assertIfName,
  assertNetnsPath,
  canonicalCidr,
  execaRunner,
  interfaceSysctl,
  settleAddresses,
  showLink,
  tryParseCidr,
  type BatchResult,
  type CommandRunner,
  type LinkInfo,
  type SysctlWrite,
} from '@cnikit/netops';
import type { StderrSink } from './exec-ipam.js';
import { IpamError } from './errors.js';
import { planInterface, type InterfacePlan, type PlannedAddress } from './interface-plan.js';
import { describeFailure, type LineDescriptions } from './configure-errors.js';

/** How long addresses may stay tentative before {@link configureInterface} gives up (5 s). */
export const DEFAULT_SETTLE_TIMEOUT_MS = 5_000;

/** A sysctl written in the container before the interface is configured; a failure is ignored. */
export interface ContainerSysctl {
  /** Slash (`net/ipv6/conf/eth0/accept_dad`) or dotted form, relative to /proc/sys. */
  name: string;
  value: string | number;
}

/** What {@link configureInterface} takes. */
export interface ConfigureInterfaceOptions {
  /** The container's network namespace (an nsfs path, i.e. CNI_NETNS). */
  netns: string;
  /** The interface to configure (CNI_IFNAME); it must exist in `netns`. */
  ifName: string;
  /** A 1.x result whose `interfaces` include `ifName`; its IPs point at it by index. */
  result: Result;
  /** Starts the commands (default: netops' default runner). */
  runner?: CommandRunner;
  /**
   * Sysctls written first, by the same process (the bridge's accept_dad, enhanced_dad,
   * arp_notify); failures are reported on `stderr` and otherwise ignored, as in the reference.
   */
  extraSysctls?: readonly ContainerSysctl[];
  /** Bound of the wait for IPv6 addresses to leave "tentative" (default 5 s). */
  settleTimeoutMs?: number;
  /** Where ignored problems are reported (default `process.stderr`). */
  stderr?: StderrSink;
}

/** What {@link configureInterface} did. */
export interface ConfigureReport {
  /** Processes started (each entering the namespace once). */
  processes: number;
}

/**
 * Applies `result` to `ifName` inside `netns`: addresses of the IPs whose `interface` index names
 * it, link up, then the routes (a route without `gw` takes the first gateway of its family;
 * `priority` is the metric; `table`, `scope` as given; added with prepend semantics so several
 * routes to one prefix coexist). Before the first IPv6 address it sets `disable_ipv6=0` on `lo`
 * and the interface (only where not already 0) and `keep_addr_on_down=1` on the interface. With
 * an IPv6 gateway it waits for DAD before adding routes.
 *
 * @throws {@link IpamError} (reason `configure`, code 999), worded as the reference where it
 * applies: `no interfaces to configure`, `failed to add IP addr {...} to "eth0": invalid
 * interface index`, `failed to lookup "eth0": ...`, `failed to add IP addr ...`,
 * `failed to add route '... (Scope: s, Table: t, Priority: p)': ...`, `failed to open netns ...`;
 * settling failures (DAD failed, still tentative on an up link) carry netops' message.
 */
export async function configureInterface(
  options: ConfigureInterfaceOptions,
): Promise<ConfigureReport> {
  checkTargets(options.netns, options.ifName);
  const plan = planInterface(options.ifName, options.result);
  // process.stderr is made only when something is reported (the stream costs milliseconds).
  const stderr = options.stderr ?? { write: (text: string) => process.stderr.write(text) };
  const { runner, count } = countingRunner(options.runner ?? execaRunner);
  const { netns } = options;
  const fail = (lines: LineDescriptions) => (err: unknown) => {
    throw describeFailure(err, plan, lines, netns);
  };

  const first = new IpBatch();
  const lines: LineDescriptions = [];
  for (const address of plan.addresses) {
    addAddress(first, plan.ifName, address);
    lines.push({ op: 'address', address });
  }
  first.linkSet(plan.ifName, { up: true });
  lines.push({ op: 'up' });
  if (!plan.settle) addRoutes(first, lines, plan);
  // With an IPv6 gateway, the same process reads the link back: usually DAD is already done
  // (the bridge turns it off) and no separate wait is needed.
  const state = plan.settle ? first.query(showLink(plan.ifName)) : undefined;

  const sysctls = containerSysctls(plan, options.extraSysctls);
  const firstRun = await applyBatch(first, { netns, runner, sysctls }).catch(fail(lines));
  reportIgnoredSysctls(firstRun, netns, stderr);
  if (state === undefined) return { processes: count() };

  if (!isSettled(firstRun.read(state))) {
    const timeoutMs = options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS;
    await settleAddresses(plan.ifName, { netns, runner, timeoutMs }).catch(fail([]));
  }
  if (plan.routes.length > 0) {
    const second = new IpBatch();
    const routeLines: LineDescriptions = [];
    addRoutes(second, routeLines, plan);
    await applyBatch(second, { netns, runner }).catch(fail(routeLines));
  }
  return { processes: count() };
}

/**
 * `addr add`; IPv4 prefixes shorter than /31 also get their broadcast address (`brd +`), as Go's
 * netlink computes it for the reference. The words are checked again by netops' batch.
 */
function addAddress(batch: IpBatch, ifName: string, address: PlannedAddress): void {
  const prefixLength = tryParseCidr(address.cidr)?.prefixLength ?? 32;
  if (address.family === 6 || prefixLength >= 31) {
    batch.addrAdd(ifName, address.cidr);
    return;
  }
  const cidr = canonicalCidr(address.cidr);
  batch.add({
    words: ['addr', 'add', cidr, 'brd', '+', 'dev', ifName],
    tolerate: [],
    undo: undefined,
    hints: [],
  });
}

/** The names that reach nsenter and batch lines, checked before anything runs. */
function checkTargets(netns: string, ifName: string): void {
  try {
    assertNetnsPath(netns);
    assertIfName(ifName);
  } catch (err) {
    throw new IpamError('configure', (err as Error).message, { cause: err });
  }
}

/** Wraps a runner to count the processes it starts. */
function countingRunner(inner: CommandRunner): { runner: CommandRunner; count: () => number } {
  let started = 0;
  const runner: CommandRunner = (argv, runOptions) => {
    started += 1;
    return inner(argv, runOptions);
  };
  return { runner, count: () => started };
}

/** True when the link read after the addresses went in needs no wait: nothing tentative or failed. */
function isSettled(link: LinkInfo | undefined): boolean {
  return link !== undefined && link.addresses.every((a) => !a.tentative && !a.dadfailed);
}

function addRoutes(batch: IpBatch, lines: LineDescriptions, plan: InterfacePlan): void {
  for (const route of plan.routes) {
    batch.routePrepend({
      dst: route.dst,
      dev: plan.ifName,
      ...(route.via === undefined ? {} : { via: route.via }),
      ...(route.metric === undefined ? {} : { metric: route.metric }),
      // Table 0 (unspecified) is the main table to the kernel; iproute2 wants it left out.
      ...(route.table === undefined || route.table === 0 ? {} : { table: route.table }),
      // The reference sends scope 0 (universe) unless told otherwise, where `ip` would pick
      // "link" for an IPv4 route without gateway.
      ...(route.scope === undefined && (route.family === 6 || route.via !== undefined)
        ? {}
        : { scope: route.scope ?? 0 }),
    });
    lines.push({ op: 'route', route });
  }
}

/** The caller's sysctls (failures ignored), then the IPv6 enabling ones (failures fatal). */
function containerSysctls(
  plan: InterfacePlan,
  extra: readonly ContainerSysctl[] = [],
): SysctlWrite[] {
  const writes: SysctlWrite[] = extra.map((s) => ({
    name: s.name,
    value: s.value,
    optional: true,
  }));
  if (plan.enableIpv6) {
    // Written only where not already "0" (netops compares before writing).
    writes.push({ name: interfaceSysctl('ipv6', 'lo', 'disable_ipv6'), value: '0' });
    writes.push({ name: interfaceSysctl('ipv6', plan.ifName, 'disable_ipv6'), value: '0' });
    writes.push({ name: interfaceSysctl('ipv6', plan.ifName, 'keep_addr_on_down'), value: '1' });
  }
  return writes;
}

function reportIgnoredSysctls(run: BatchResult, netns: string, stderr: StderrSink): void {
  for (const s of run.sysctls)
    if (s.status === 'failed')
      stderr.write(
        `ipam-client: ignoring failed sysctl ${s.name}=${s.value} in ${netns}: ${s.message ?? ''}\n`,
      );
}
