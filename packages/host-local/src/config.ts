/**
 * The host-local configuration, in two steps as in the reference: `decodeNetConf` reads the
 * shape of stdin (IPAM plugins receive the whole network config, not just `ipam`) and parses
 * every address; `resolveConfig` then adds the requested addresses, puts the range sets
 * together (runtimeConfig `ipRanges`, then the legacy single range, then `ranges`) and
 * validates them.
 */
import * as z from 'zod/mini';
import type { Route } from '@cnikit/cni-skel';
import { configError, HostLocalError } from './errors.js';
import { ipEquals } from '@cnikit/netops';
import { formatCidr, formatIp, parseCidr, parseIp, type Cidr, type IpAddress } from './ip.js';
import { canonicalizeRangeSet, rangeSetsOverlap, type RangeInput, type RangeSet } from './range.js';
import { DEFAULT_DATA_DIR } from './store.js';

/** Go's JSON leaves a field alone on `null`; so do we. */
const maybe = <T extends z.core.SomeType>(schema: T) => z.optional(z.nullable(schema));
const uint = z.int().check(z.nonnegative());

const rangeSchema = z.looseObject({
  subnet: maybe(z.string()),
  rangeStart: maybe(z.string()),
  rangeEnd: maybe(z.string()),
  gateway: maybe(z.string()),
});

const routeSchema = z.looseObject({
  dst: z.string(),
  gw: maybe(z.string()),
  mtu: maybe(uint),
  advmss: maybe(uint),
  priority: maybe(uint),
  table: maybe(uint),
  scope: maybe(uint),
});

const ipamSchema = z.looseObject({
  type: maybe(z.string()),
  subnet: maybe(z.string()),
  rangeStart: maybe(z.string()),
  rangeEnd: maybe(z.string()),
  gateway: maybe(z.string()),
  ranges: maybe(z.array(z.array(rangeSchema))),
  routes: maybe(z.array(routeSchema)),
  dataDir: maybe(z.string()),
  resolvConf: maybe(z.string()),
});

const netConfSchema = z.looseObject({
  cniVersion: maybe(z.string()),
  name: z.string(),
  ipam: maybe(ipamSchema),
  runtimeConfig: maybe(
    z.looseObject({
      ips: maybe(z.array(z.string())),
      ipRanges: maybe(z.array(z.array(rangeSchema))),
    }),
  ),
  args: maybe(z.looseObject({ cni: maybe(z.looseObject({ ips: maybe(z.array(z.string())) })) })),
});

/** The `ipam` section, its addresses parsed. */
export interface IpamSection {
  /** The legacy single range (top-level subnet, rangeStart, rangeEnd, gateway), if a subnet is set. */
  readonly legacyRange: RangeInput | undefined;
  readonly ranges: RangeInput[][];
  readonly routes: Route[];
  readonly dataDir: string | undefined;
  readonly resolvConf: string | undefined;
}

/** What host-local reads from stdin, addresses parsed, nothing yet validated across fields. */
export interface HostLocalNetConf {
  readonly name: string;
  readonly cniVersion: string;
  /** Undefined when the config has no `ipam` (an error at resolve time, as in the reference). */
  readonly ipam: IpamSection | undefined;
  /** runtimeConfig `ipRanges` (the capability). */
  readonly runtimeRanges: RangeInput[][];
  /** runtimeConfig `ips` (the capability). */
  readonly runtimeIps: IpAddress[];
  /** `args.cni.ips`. */
  readonly argsIps: IpAddress[];
}

/** A validated configuration, ready to allocate from. */
export interface HostLocalConfig {
  readonly name: string;
  readonly cniVersion: string;
  readonly dataDir: string;
  readonly resolvConf: string | undefined;
  readonly routes: Route[];
  /** One address is allocated from each, in order. */
  readonly rangeSets: RangeSet[];
  /** Requested addresses: CNI_ARGS `IP`, then `args.cni.ips`, then runtimeConfig `ips`. */
  readonly requested: IpAddress[];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  const what =
    issue.code === 'invalid_type'
      ? `expected ${issue.expected}`
      : issue.code === 'too_small'
        ? 'must not be negative'
        : issue.message;
  return `${path || '(root)'}: ${what}`;
}

/** net.IP fields (gateway, rangeStart, rangeEnd, route gw): "" means absent, as in Go. */
function netIp(text: string | null | undefined): IpAddress | undefined {
  if (text == null || text === '') return undefined;
  const address = parseIp(text);
  if (!address) throw configError(`invalid IP address: ${text}`);
  return address;
}

/** types.IPNet fields (subnet, route dst). */
function ipNet(text: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw configError(`invalid CIDR address: ${text}`);
  return cidr;
}

/**
 * A requested address (`args.cni.ips`, runtimeConfig `ips`, CNI_ARGS `IP`): an address, or an
 * address with a prefix length that is ignored, as the reference's ip.IP.
 */
export function parseRequestedIp(text: string): IpAddress {
  const address = text.includes('/') ? parseCidr(text)?.address : parseIp(text);
  if (!address) throw configError(`invalid IP address ${text}`);
  return address;
}

type RawRange = z.infer<typeof rangeSchema>;

function rangeInput(raw: RawRange): RangeInput {
  return {
    subnet: raw.subnet == null ? undefined : ipNet(raw.subnet),
    rangeStart: netIp(raw.rangeStart),
    rangeEnd: netIp(raw.rangeEnd),
    gateway: netIp(raw.gateway),
  };
}

function route(raw: z.infer<typeof routeSchema>): Route {
  const dst = ipNet(raw.dst);
  const out: Route = { dst: formatCidr(dst.address, dst.prefix) };
  const gw = netIp(raw.gw);
  if (gw) out.gw = formatIp(gw);
  for (const key of ['mtu', 'advmss', 'priority', 'table', 'scope'] as const) {
    const value = raw[key];
    if (value != null) out[key] = value;
  }
  return out;
}

/** Reads the network config host-local receives on stdin. Throws a `config` HostLocalError. */
export function decodeNetConf(raw: unknown): HostLocalNetConf {
  const parsed = netConfSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(describeIssue);
    throw new HostLocalError('config', `invalid network config: ${issues.join('; ')}`);
  }
  const conf = parsed.data;
  const ipam = conf.ipam ?? undefined;
  return {
    name: conf.name,
    cniVersion: conf.cniVersion ?? '',
    ipam: ipam && {
      legacyRange:
        ipam.subnet == null
          ? undefined
          : rangeInput({
              subnet: ipam.subnet,
              rangeStart: ipam.rangeStart,
              rangeEnd: ipam.rangeEnd,
              gateway: ipam.gateway,
            }),
      ranges: (ipam.ranges ?? []).map((set) => set.map(rangeInput)),
      routes: (ipam.routes ?? []).map(route),
      dataDir: ipam.dataDir ?? undefined,
      resolvConf: ipam.resolvConf ?? undefined,
    },
    runtimeRanges: (conf.runtimeConfig?.ipRanges ?? []).map((set) => set.map(rangeInput)),
    runtimeIps: (conf.runtimeConfig?.ips ?? []).map(parseRequestedIp),
    argsIps: (conf.args?.cni?.ips ?? []).map(parseRequestedIp),
  };
}

/** True when `version` is at least 0.3.0, the first to allow several addresses of one family. */
function allowsManyPerFamily(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  if (major === undefined || Number.isNaN(major)) return false;
  return major > 0 || (minor ?? 0) >= 3;
}

/**
 * Validates the decoded config and puts its range sets together.
 * @param envIp the address requested by CNI_ARGS `IP=`, if any.
 */
export function resolveConfig(conf: HostLocalNetConf, envIp?: IpAddress): HostLocalConfig {
  const ipam = conf.ipam;
  if (!ipam) throw configError("IPAM config missing 'ipam' key");

  const requested: IpAddress[] = [];
  for (const address of [...(envIp ? [envIp] : []), ...conf.argsIps, ...conf.runtimeIps]) {
    if (!requested.some((r) => ipEquals(r, address))) requested.push(address);
  }

  const inputs = [
    ...conf.runtimeRanges,
    ...(ipam.legacyRange ? [[ipam.legacyRange]] : []),
    ...ipam.ranges,
  ];
  if (inputs.length === 0) throw configError('no IP ranges specified');
  const rangeSets = inputs.map((set, i) => {
    try {
      return canonicalizeRangeSet(set);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw configError(`invalid range set ${i}: ${reason}`, error);
    }
  });

  const families = rangeSets.map((set) => set[0]?.family);
  const perFamilyMax = Math.max(...[4, 6].map((f) => families.filter((x) => x === f).length));
  if (perFamilyMax > 1 && !allowsManyPerFamily(conf.cniVersion)) {
    throw configError(
      `CNI version ${conf.cniVersion} does not support more than 1 address per family`,
    );
  }
  rangeSets.forEach((a, i) => {
    rangeSets.slice(i + 1).forEach((b, j) => {
      if (rangeSetsOverlap(a, b)) throw configError(`range set ${i} overlaps with ${i + j + 1}`);
    });
  });

  return {
    name: conf.name,
    cniVersion: conf.cniVersion,
    dataDir: ipam.dataDir || DEFAULT_DATA_DIR,
    resolvConf: ipam.resolvConf || undefined,
    routes: ipam.routes,
    rangeSets,
    requested,
  };
}
