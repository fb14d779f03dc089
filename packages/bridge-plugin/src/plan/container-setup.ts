/**
 * The container side of an ADD as one process (`nsenter --net=<netns>`, netops writing the sysctls
 * in the same process before `ip -batch`): the interface's sysctls (reference step 8d and
 * ConfigureIface), its addresses, the link up, its routes, and a read of the interface (its MAC
 * goes into the result).
 */
import type { InterfacePlan, PlannedRoute } from '@cnikit/ipam-client';
import {
  IpBatch,
  interfaceSysctl,
  showLink,
  type LinkInfo,
  type QueryHandle,
  type SysctlWrite,
} from '@cnikit/netops';
import { ipv4AddrLine } from './ipv4-addr.js';
import { WordedBatch } from './worded-batch.js';

/** What the container side does. */
export interface ContainerSetupInput {
  ifName: string;
  /** The addresses and routes to apply (L3); undefined in L2 mode. */
  plan: InterfacePlan | undefined;
  enabledad: boolean;
  /** Leave the interface down (disableContainerInterface). */
  keepDown: boolean;
  /** Apply only the addresses and link state now; routes come after the DAD wait. */
  routesLater: boolean;
}

/** The container batch, its sysctls and the read of the interface. */
export interface ContainerSetup {
  batch: WordedBatch<IpBatch>;
  sysctls: SysctlWrite[];
  container: QueryHandle<LinkInfo | undefined>;
}

/**
 * The sysctls the reference writes in the container: DAD and arp_notify (failures ignored), and
 * for IPv6 addresses IPv6 enabled on lo and the interface and addresses kept on down (fatal).
 */
export function containerSysctls(
  ifName: string,
  plan: InterfacePlan | undefined,
  enabledad: boolean,
): SysctlWrite[] {
  if (plan === undefined) return [];
  const v6 = (key: string) => interfaceSysctl('ipv6', ifName, key);
  const out: SysctlWrite[] = enabledad
    ? [
        { name: v6('enhanced_dad'), value: '1', optional: true },
        { name: v6('accept_dad'), value: '1', optional: true },
      ]
    : [{ name: v6('accept_dad'), value: '0', optional: true }];
  out.push({ name: interfaceSysctl('ipv4', ifName, 'arp_notify'), value: '1', optional: true });
  if (plan.enableIpv6)
    out.push(
      { name: interfaceSysctl('ipv6', 'lo', 'disable_ipv6'), value: '0' },
      { name: v6('disable_ipv6'), value: '0' },
      { name: v6('keep_addr_on_down'), value: '1' },
    );
  return out;
}

/** The batch: addresses, link up, routes (unless later), and a final read of the interface. */
export function containerSetup(input: ContainerSetupInput): ContainerSetup {
  const { ifName, plan } = input;
  const batch = new WordedBatch(new IpBatch());
  for (const a of plan?.addresses ?? [])
    batch.with(
      (reason) => `failed to add IP addr ${a.cidr} to "${ifName}": ${reason}`,
      (b) =>
        a.family === 4
          ? b.add(ipv4AddrLine(a.cidr, ifName))
          : b.addrAdd(ifName, a.cidr, { undo: false }),
    );
  if (!input.keepDown)
    batch.with(
      (reason) => `failed to set "${ifName}" UP: ${reason}`,
      (b) => b.linkSet(ifName, { up: true }),
    );
  if (!input.routesLater) addRoutes(batch, ifName, plan?.routes ?? []);
  let container!: QueryHandle<LinkInfo | undefined>;
  batch.with(undefined, (b) => (container = b.query(showLink(ifName))));
  return { batch, sysctls: containerSysctls(ifName, plan, input.enabledad), container };
}

/** The route lines (`route prepend`: create without exclusive, so ECMP routes can coexist). */
export function addRoutes(
  batch: WordedBatch<IpBatch>,
  ifName: string,
  routes: readonly PlannedRoute[],
): void {
  for (const r of routes)
    batch.with(
      (reason) => `failed to add route '${r.dst} via ${r.via ?? '<nil>'} dev ${ifName}': ${reason}`,
      (b) =>
        b.routePrepend(
          {
            dst: r.dst,
            via: r.via,
            dev: ifName,
            metric: r.metric,
            // Table 0 means "unspecified" (main) to the kernel; netops wants it left out.
            table: r.table === 0 ? undefined : r.table,
            scope: r.scope,
          },
          { undo: false },
        ),
    );
}
