/**
 * The configs of baseline.md §2, run through the reference and the candidate. The bridge name is
 * left out so the default (`cni0`) is exercised; host-local hands out 10.22.0.0/16 (and
 * fd00:22::/64 for dual stack) from a per-run data directory.
 */
import type { SpecVersion } from '../e2e/support/versions.js';

/** One differential config. */
export interface DiffConfig {
  /** The name used in known-differences.ts. */
  name: string;
  version: SpecVersion;
  /** Bridge fields besides cniVersion, name, type and ipam. */
  fields: Record<string, unknown>;
  /** host-local range sets (one inner list per set); absent = L2 only. */
  subnets?: readonly (readonly string[])[];
  /** An address put on a pre-created bridge before the first ADD. */
  preexistingBridgeAddress?: string;
}

const V4 = [['10.22.0.0/16']] as const;
const DUAL = [['10.22.0.0/16'], ['fd00:22::/64']] as const;
const GW = { isGateway: true };

export const DIFF_CONFIGS: readonly DiffConfig[] = [
  { name: 'basic', version: '1.0.0', fields: GW, subnets: V4 },
  { name: 'basic-0.4.0', version: '0.4.0', fields: GW, subnets: V4 },
  { name: 'basic-0.3.1', version: '0.3.1', fields: GW, subnets: V4 },
  { name: 'ipmasq', version: '1.0.0', fields: { ...GW, ipMasq: true }, subnets: V4 },
  { name: 'ipmasq-0.3.1', version: '0.3.1', fields: { ...GW, ipMasq: true }, subnets: V4 },
  { name: 'dual-stack', version: '1.0.0', fields: GW, subnets: DUAL },
  {
    name: 'dual-stack-ipmasq-0.4.0',
    version: '0.4.0',
    fields: { ...GW, ipMasq: true },
    subnets: DUAL,
  },
  { name: 'hairpin', version: '0.4.0', fields: { ...GW, hairpinMode: true }, subnets: V4 },
  { name: 'promisc', version: '0.3.1', fields: { ...GW, promiscMode: true }, subnets: V4 },
  { name: 'mtu9000', version: '0.4.0', fields: { ...GW, mtu: 9000 }, subnets: V4 },
  {
    name: 'force-address',
    version: '1.0.0',
    fields: { ...GW, forceAddress: true },
    subnets: V4,
    preexistingBridgeAddress: '10.99.0.1/16',
  },
  { name: 'macspoofchk', version: '1.0.0', fields: { ...GW, macspoofchk: true }, subnets: V4 },
  { name: 'l2only', version: '1.0.0', fields: {} },
  {
    name: 'no-force-address',
    version: '1.0.0',
    fields: GW,
    subnets: V4,
    preexistingBridgeAddress: '10.99.0.1/16',
  },
  { name: 'vlan', version: '1.0.0', fields: { ...GW, vlan: 100 }, subnets: V4 },
];

/** The config of `name`; throws for an unknown name. */
export function diffConfig(name: string): DiffConfig {
  const c = DIFF_CONFIGS.find((x) => x.name === name);
  if (!c) throw new Error(`no differential config ${name}`);
  return c;
}
