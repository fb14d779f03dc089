/**
 * The Go types the reference decodes its stdin into (bridge's NetConf embedding types.NetConf), so
 * that decoding errors read exactly like the reference's.
 */
import type { GoStruct, GoType } from './go-decode.js';

const bool: GoType = { t: 'bool' };
const int: GoType = { t: 'int' };
const string: GoType = { t: 'string' };
const strings: GoType = { t: 'slice', elem: string };

const ipam: GoStruct = {
  t: 'struct',
  name: 'IPAM',
  goName: 'types.IPAM',
  fields: [{ json: 'type', type: string }],
};

const dns: GoStruct = {
  t: 'struct',
  name: 'DNS',
  goName: 'types.DNS',
  fields: [
    { json: 'nameservers', type: strings },
    { json: 'domain', type: string },
    { json: 'search', type: strings },
    { json: 'options', type: strings },
  ],
};

const gcAttachment: GoStruct = {
  t: 'struct',
  name: 'GCAttachment',
  goName: 'types.GCAttachment',
  fields: [
    { json: 'containerID', type: string },
    { json: 'ifname', type: string },
  ],
};

const vlanTrunk: GoStruct = {
  t: 'struct',
  name: 'VlanTrunk',
  goName: 'main.VlanTrunk',
  fields: [
    { json: 'minID', type: { t: 'ptr', elem: int } },
    { json: 'maxID', type: { t: 'ptr', elem: int } },
    { json: 'id', type: { t: 'ptr', elem: int } },
  ],
};

const bridgeArgs: GoStruct = {
  t: 'struct',
  name: 'BridgeArgs',
  goName: 'main.BridgeArgs',
  fields: [{ json: 'mac', type: string }],
};

/** bridge's NetConf: the common keys of types.NetConf plus the bridge's own. */
export const NET_CONF_TYPE: GoStruct = {
  t: 'struct',
  name: 'NetConf',
  goName: 'main.NetConf',
  fields: [
    { json: 'cniVersion', type: string },
    { json: 'name', type: string },
    { json: 'type', type: string },
    { json: 'capabilities', type: { t: 'map', elem: bool } },
    { json: 'ipam', type: ipam },
    { json: 'dns', type: dns },
    { json: 'prevResult', type: { t: 'map', elem: { t: 'any' } } },
    { json: 'cni.dev/valid-attachments', type: { t: 'slice', elem: gcAttachment } },
    { json: 'bridge', type: string },
    { json: 'isGateway', type: bool },
    { json: 'isDefaultGateway', type: bool },
    { json: 'forceAddress', type: bool },
    { json: 'ipMasq', type: bool },
    { json: 'ipMasqBackend', type: { t: 'ptr', elem: string } },
    { json: 'mtu', type: int },
    { json: 'hairpinMode', type: bool },
    { json: 'promiscMode', type: bool },
    { json: 'vlan', type: int },
    { json: 'vlanTrunk', type: { t: 'slice', elem: { t: 'ptr', elem: vlanTrunk } } },
    { json: 'preserveDefaultVlan', type: bool },
    { json: 'macspoofchk', type: bool },
    { json: 'enabledad', type: bool },
    { json: 'disableContainerInterface', type: bool },
    { json: 'portIsolation', type: bool },
    {
      json: 'args',
      type: {
        t: 'struct',
        name: '',
        goName: 'struct { Cni main.BridgeArgs "json:\\"cni,omitempty\\"" }',
        fields: [{ json: 'cni', type: bridgeArgs }],
      },
    },
    {
      json: 'runtimeConfig',
      type: {
        t: 'struct',
        name: '',
        goName: 'struct { Mac string "json:\\"mac,omitempty\\"" }',
        fields: [{ json: 'mac', type: string }],
      },
    },
  ],
};
