/**
 * Loads the bridge's network configuration with the reference's semantics: Go encoding/json
 * decoding (case-insensitive keys, type errors worded as Go's), the reference's defaults, load-time
 * VLAN validation, and the container MAC precedence CNI_ARGS < args.cni.mac < runtimeConfig.mac.
 */
import type { Dns } from '@cnikit/cni-skel';
import { BridgeConfigError } from '../errors.js';
import { parseBridgeEnvArgs } from './cni-args.js';
import { decodeGoStruct, GoUnmarshalTypeError } from './go-decode.js';
import { parseGoJson, parseGoJsonFast } from './go-json.js';
import { NET_CONF_TYPE } from './netconf-schema.js';
import { checkVlan, collectVlanTrunk, type VlanTrunk } from './vlan.js';

/** The bridge used when the config names none. */
export const DEFAULT_BRIDGE = 'cni0';

/** Masquerade backends the reference knows. */
export type IpMasqBackend = 'iptables' | 'nftables';

/** A GC request's still-valid attachment. */
export interface ValidAttachment {
  containerID: string;
  ifname: string;
}

/** The bridge's configuration after loading: every field with its reference default applied. */
export interface BridgeConf {
  cniVersion: string;
  name: string;
  type: string;
  /** `ipam.type`; empty means L2 mode (no addresses). */
  ipamType: string;
  /** The config's own `dns` (empty fields when unset). */
  dns: Dns;
  /** The raw `prevResult` object, when given. */
  prevResult: Record<string, unknown> | undefined;
  /** `cni.dev/valid-attachments` (GC only); undefined when the key is absent. */
  validAttachments: ValidAttachment[] | undefined;
  bridge: string;
  isGateway: boolean;
  isDefaultGateway: boolean;
  forceAddress: boolean;
  ipMasq: boolean;
  /** The configured backend text (validated only where it is used); undefined = auto. */
  ipMasqBackend: string | undefined;
  mtu: number;
  hairpinMode: boolean;
  promiscMode: boolean;
  vlan: number;
  /** True when `vlanTrunk` was given at all (even `[]`): a new bridge then gets vlan_filtering. */
  vlanTrunkGiven: boolean;
  /** The trunk VIDs, sorted and unique (empty for none). */
  vlans: number[];
  preserveDefaultVlan: boolean;
  macspoofchk: boolean;
  enabledad: boolean;
  disableContainerInterface: boolean;
  portIsolation: boolean;
  /** The container MAC after precedence, when any source gave a non-empty one. */
  mac: string | undefined;
}

interface DecodedConf {
  cniVersion?: string;
  name?: string;
  type?: string;
  ipam?: { type?: string };
  dns?: Dns;
  prevResult?: Record<string, unknown>;
  'cni.dev/valid-attachments'?: Array<Partial<ValidAttachment> | undefined>;
  bridge: string;
  isGateway?: boolean;
  isDefaultGateway?: boolean;
  forceAddress?: boolean;
  ipMasq?: boolean;
  ipMasqBackend?: string;
  mtu?: number;
  hairpinMode?: boolean;
  promiscMode?: boolean;
  vlan?: number;
  vlanTrunk?: Array<VlanTrunk | undefined>;
  preserveDefaultVlan?: boolean;
  macspoofchk?: boolean;
  enabledad?: boolean;
  disableContainerInterface?: boolean;
  portIsolation?: boolean;
  args?: { cni?: { mac?: string } };
  runtimeConfig?: { mac?: string };
}

/**
 * Decodes stdin into the Go-shaped config without any validation (what the reference's STATUS and
 * the first step of loadNetConf do).
 * @throws BridgeConfigError `failed to load netconf: json: cannot unmarshal ...`
 */
function decode(stdin: string): DecodedConf {
  try {
    return decodeGoStruct(parseGoJsonFast(stdin) ?? parseGoJson(stdin), NET_CONF_TYPE, {
      bridge: DEFAULT_BRIDGE,
    }) as unknown as DecodedConf;
  } catch (err) {
    if (err instanceof GoUnmarshalTypeError)
      throw new BridgeConfigError(`failed to load netconf: ${err.message}`, { cause: err });
    throw new BridgeConfigError(`failed to load netconf: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function toBridgeConf(d: DecodedConf): Omit<BridgeConf, 'vlans' | 'mac'> {
  return {
    cniVersion: d.cniVersion ?? '',
    name: d.name ?? '',
    type: d.type ?? '',
    ipamType: d.ipam?.type ?? '',
    dns: d.dns ?? {},
    prevResult: d.prevResult,
    validAttachments: d['cni.dev/valid-attachments']?.map((a) => ({
      containerID: a?.containerID ?? '',
      ifname: a?.ifname ?? '',
    })),
    bridge: d.bridge,
    isGateway: d.isGateway ?? false,
    isDefaultGateway: d.isDefaultGateway ?? false,
    forceAddress: d.forceAddress ?? false,
    ipMasq: d.ipMasq ?? false,
    ipMasqBackend: d.ipMasqBackend,
    mtu: d.mtu ?? 0,
    hairpinMode: d.hairpinMode ?? false,
    promiscMode: d.promiscMode ?? false,
    vlan: d.vlan ?? 0,
    vlanTrunkGiven: d.vlanTrunk !== undefined,
    preserveDefaultVlan: d.preserveDefaultVlan ?? false,
    macspoofchk: d.macspoofchk ?? false,
    enabledad: d.enabledad ?? false,
    disableContainerInterface: d.disableContainerInterface ?? false,
    portIsolation: d.portIsolation ?? false,
  };
}

/**
 * The reference's loadNetConf (ADD, DEL, CHECK, GC): decode, check `vlan` and `vlanTrunk`, parse
 * CNI_ARGS, pick the container MAC.
 * @throws BridgeConfigError with the reference's message.
 */
export function loadNetConf(stdin: string, cniArgs?: string): BridgeConf {
  const d = decode(stdin);
  const base = toBridgeConf(d);
  checkVlan(base.vlan);
  const vlans = collectVlanTrunk(d.vlanTrunk) ?? [];
  const envArgs = parseBridgeEnvArgs(cniArgs);
  const mac = nonEmpty(d.runtimeConfig?.mac) ?? nonEmpty(d.args?.cni?.mac) ?? nonEmpty(envArgs.mac);
  return { ...base, vlans, mac };
}

/** STATUS decodes only (no defaults checks, no CNI_ARGS, no VLAN validation), as the reference. */
export function decodeNetConfForStatus(
  stdin: string,
): Pick<
  BridgeConf,
  'ipamType' | 'ipMasq' | 'ipMasqBackend' | 'name' | 'vlan' | 'vlanTrunkGiven' | 'macspoofchk'
> {
  const d = decode(stdin);
  return {
    ipamType: d.ipam?.type ?? '',
    ipMasq: d.ipMasq ?? false,
    ipMasqBackend: d.ipMasqBackend,
    name: d.name ?? '',
    vlan: d.vlan ?? 0,
    vlanTrunkGiven: d.vlanTrunk !== undefined,
    macspoofchk: d.macspoofchk ?? false,
  };
}

const nonEmpty = (s: string | undefined): string | undefined =>
  s === undefined || s === '' ? undefined : s;

/** True when the config has addresses to manage (an IPAM type). */
export const isL3 = (conf: Pick<BridgeConf, 'ipamType'>): boolean => conf.ipamType !== '';

/** True when the config's `dns` has any field set (it then replaces the IPAM's). */
export function hasDns(dns: Dns): boolean {
  return (
    (dns.nameservers?.length ?? 0) > 0 ||
    (dns.domain ?? '') !== '' ||
    (dns.search?.length ?? 0) > 0 ||
    (dns.options?.length ?? 0) > 0
  );
}
