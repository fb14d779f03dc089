import { describe, expect, it } from 'vitest';
import { decodeNetConfForStatus, loadNetConf } from '../../src/config/netconf.js';

const base = { cniVersion: '1.0.0', name: 'net', type: 'bridge' };
const load = (extra: Record<string, unknown>, args?: string) =>
  loadNetConf(JSON.stringify({ ...base, ...extra }), args);
const loadText = (text: string, args?: string) => loadNetConf(text, args);

describe('loadNetConf defaults', () => {
  it('applies the reference defaults', () => {
    const conf = load({});
    expect(conf).toMatchObject({
      bridge: 'cni0',
      isGateway: false,
      isDefaultGateway: false,
      forceAddress: false,
      ipMasq: false,
      ipMasqBackend: undefined,
      mtu: 0,
      hairpinMode: false,
      promiscMode: false,
      vlan: 0,
      vlans: [],
      vlanTrunkGiven: false,
      preserveDefaultVlan: false,
      macspoofchk: false,
      enabledad: false,
      disableContainerInterface: false,
      portIsolation: false,
      mac: undefined,
      ipamType: '',
    });
  });

  it('reads every field', () => {
    const conf = load({
      bridge: 'br9',
      isGateway: true,
      isDefaultGateway: true,
      forceAddress: true,
      ipMasq: true,
      ipMasqBackend: 'nftables',
      mtu: 1400,
      hairpinMode: true,
      vlan: 7,
      vlanTrunk: [{ id: 9 }],
      preserveDefaultVlan: true,
      macspoofchk: true,
      enabledad: true,
      portIsolation: true,
      ipam: { type: 'host-local', subnet: '10.0.0.0/8' },
      dns: { nameservers: ['10.0.0.53'] },
    });
    expect(conf).toMatchObject({
      bridge: 'br9',
      isGateway: true,
      ipMasqBackend: 'nftables',
      mtu: 1400,
      vlan: 7,
      vlans: [9],
      vlanTrunkGiven: true,
      ipamType: 'host-local',
      dns: { nameservers: ['10.0.0.53'] },
    });
  });

  it('matches keys case-insensitively, later keys winning (Go encoding/json)', () => {
    const conf = loadText(
      '{"name":"n","BRIDGE":"first","Bridge":"second","IsGateway":true,"RuntimeConfig":{"MAC":"02:00:00:00:00:01"}}',
    );
    expect(conf.bridge).toBe('second');
    expect(conf.isGateway).toBe(true);
    expect(conf.mac).toBe('02:00:00:00:00:01');
  });

  it('prefers an exact key match to a folded one in the same object order', () => {
    expect(loadText('{"name":"n","bridge":"exact","BRIDGE":"folded"}').bridge).toBe('folded');
  });

  it('leaves defaults untouched for null, and treats an empty ipam as L2', () => {
    const conf = load({ bridge: null, mtu: null, ipam: {} });
    expect(conf.bridge).toBe('cni0');
    expect(conf.mtu).toBe(0);
    expect(conf.ipamType).toBe('');
  });

  it('counts an empty vlanTrunk as given (vlan_filtering) but with no VIDs', () => {
    const conf = load({ vlanTrunk: [] });
    expect(conf.vlanTrunkGiven).toBe(true);
    expect(conf.vlans).toEqual([]);
  });

  it('takes integers up to what a double holds exactly, sign included', () => {
    expect(loadNetConf('{"name":"n","mtu":9007199254740991}').mtu).toBe(9007199254740991);
    expect(loadNetConf('{"name":"n","mtu":-9007199254740991}').mtu).toBe(-9007199254740991);
    expect(loadNetConf('{"name":"n","mtu":-0}').mtu).toBe(0);
    expect(Object.is(loadNetConf('{"name":"n","mtu":-0}').mtu, -0)).toBe(false);
  });

  it('ignores unknown keys', () => {
    expect(() => load({ whatever: { deep: [1, 2] }, logFile: '/tmp/x' })).not.toThrow();
  });
});

describe('loadNetConf type errors (Go UnmarshalTypeError texts)', () => {
  const cases: Array<[string, Record<string, unknown> | string, string]> = [
    [
      'string into bool',
      { portIsolation: 'true' },
      'json: cannot unmarshal string into Go struct field NetConf.portIsolation of type bool',
    ],
    [
      'string into int',
      { vlan: '5' },
      'json: cannot unmarshal string into Go struct field NetConf.vlan of type int',
    ],
    [
      'float into int',
      '{"name":"n","mtu":1.5}',
      'json: cannot unmarshal number 1.5 into Go struct field NetConf.mtu of type int',
    ],
    [
      'exponent into int',
      '{"name":"n","vlan":1e3}',
      'json: cannot unmarshal number 1e3 into Go struct field NetConf.vlan of type int',
    ],
    [
      'overflowing int',
      '{"name":"n","mtu":99999999999999999999}',
      'json: cannot unmarshal number 99999999999999999999 into Go struct field NetConf.mtu of type int',
    ],
    [
      // Go takes it (int64), but a double cannot hold it exactly (a fuzz finding).
      'int beyond a double',
      '{"name":"n","mtu":9223372036854775807}',
      'json: cannot unmarshal number 9223372036854775807 into Go struct field NetConf.mtu of type int',
    ],
    [
      'int just beyond a double',
      '{"name":"n","vlan":-9007199254740992}',
      'json: cannot unmarshal number -9007199254740992 into Go struct field NetConf.vlan of type int',
    ],
    [
      'number into string',
      { bridge: 5 },
      'json: cannot unmarshal number into Go struct field NetConf.bridge of type string',
    ],
    [
      'bool into pointer string',
      { ipMasqBackend: true },
      'json: cannot unmarshal bool into Go struct field NetConf.ipMasqBackend of type string',
    ],
    [
      'object into bool',
      { ipMasq: {} },
      'json: cannot unmarshal object into Go struct field NetConf.ipMasq of type bool',
    ],
    [
      'array into bool',
      { hairpinMode: [] },
      'json: cannot unmarshal array into Go struct field NetConf.hairpinMode of type bool',
    ],
    [
      'nested ipam.type',
      { ipam: { type: 5 } },
      'json: cannot unmarshal number into Go struct field IPAM.ipam.type of type string',
    ],
    [
      'dns list',
      { dns: { nameservers: 'x' } },
      'json: cannot unmarshal string into Go struct field DNS.dns.nameservers of type []string',
    ],
    [
      'dns list element',
      { dns: { search: [1] } },
      'json: cannot unmarshal number into Go struct field DNS.dns.search of type string',
    ],
    [
      'trunk list',
      { vlanTrunk: 'x' },
      'json: cannot unmarshal string into Go struct field NetConf.vlanTrunk of type []*main.VlanTrunk',
    ],
    [
      'trunk element',
      { vlanTrunk: [5] },
      'json: cannot unmarshal number into Go struct field NetConf.vlanTrunk of type main.VlanTrunk',
    ],
    [
      'trunk id',
      { vlanTrunk: [{ id: 'x' }] },
      'json: cannot unmarshal string into Go struct field VlanTrunk.vlanTrunk.id of type int',
    ],
    [
      'capabilities value',
      { capabilities: { mac: 'yes' } },
      'json: cannot unmarshal string into Go struct field NetConf.capabilities of type bool',
    ],
    [
      'prevResult',
      { prevResult: 'x' },
      'json: cannot unmarshal string into Go struct field NetConf.prevResult of type map[string]interface {}',
    ],
    [
      'args.cni.mac',
      { args: { cni: { mac: 5 } } },
      'json: cannot unmarshal number into Go struct field BridgeArgs.args.cni.mac of type string',
    ],
    [
      'args',
      { args: 5 },
      'json: cannot unmarshal number into Go struct field NetConf.args of type struct { Cni main.BridgeArgs "json:\\"cni,omitempty\\"" }',
    ],
    [
      'runtimeConfig.mac',
      { runtimeConfig: { mac: 5 } },
      'json: cannot unmarshal number into Go struct field .runtimeConfig.mac of type string',
    ],
    [
      'valid attachments',
      { 'cni.dev/valid-attachments': [{ containerID: 1 }] },
      'json: cannot unmarshal number into Go struct field GCAttachment.cni.dev/valid-attachments.containerID of type string',
    ],
  ];
  it.each(cases)('%s', (_title, input, message) => {
    const run = () => (typeof input === 'string' ? loadText(input) : load(input));
    expect(run).toThrow(`failed to load netconf: ${message}`);
  });

  it('reports the first mismatch in document order', () => {
    expect(() => load({ mtu: 'a', vlan: 'b' })).toThrow('NetConf.mtu of type int');
  });
});

describe('loadNetConf validation', () => {
  it.each([0, 4094])('accepts vlan %d', (vlan) => {
    expect(load({ vlan }).vlan).toBe(vlan);
  });
  it.each([-100, 5000, 4095])('rejects vlan %d', (vlan) => {
    expect(() => load({ vlan })).toThrow(`invalid VLAN ID ${vlan} (must be between 0 and 4094)`);
  });
  it('refuses a bad trunk at load time', () => {
    expect(() => load({ vlanTrunk: [{ minID: 10 }] })).toThrow(
      'minID and maxID should be configured simultaneously, maxID is missing',
    );
  });
});

describe('container MAC precedence and CNI_ARGS', () => {
  const macs = {
    env: '02:00:00:00:00:01',
    args: '02:00:00:00:00:02',
    runtime: '02:00:00:00:00:03',
  };
  it('takes CNI_ARGS MAC', () => {
    expect(load({}, `MAC=${macs.env}`).mac).toBe(macs.env);
  });
  it('lets args.cni.mac beat CNI_ARGS', () => {
    expect(load({ args: { cni: { mac: macs.args } } }, `MAC=${macs.env}`).mac).toBe(macs.args);
  });
  it('lets runtimeConfig.mac beat both', () => {
    const conf = load(
      { args: { cni: { mac: macs.args } }, runtimeConfig: { mac: macs.runtime } },
      `MAC=${macs.env}`,
    );
    expect(conf.mac).toBe(macs.runtime);
  });
  it('ignores empty values', () => {
    expect(load({ runtimeConfig: { mac: '' } }, 'MAC=').mac).toBeUndefined();
  });
  it.each([
    ['FOO=1', 'ARGS: unknown args ["FOO=1"]'],
    ['FOO=1;BAR=2', 'ARGS: unknown args ["FOO=1" "BAR=2"]'],
    ['A=B=C', 'ARGS: invalid pair "A=B=C"'],
    ['MAC=x;', 'ARGS: invalid pair ""'],
    [
      'IgnoreUnknown=maybe',
      'ARGS: error parsing value of pair "IgnoreUnknown=maybe": boolean unmarshal error: invalid input maybe',
    ],
    ['mac=02:00:00:00:00:01', 'ARGS: unknown args ["mac=02:00:00:00:00:01"]'],
  ])('refuses CNI_ARGS %s', (args, message) => {
    expect(() => load({}, args)).toThrow(message);
  });
  it.each(['IgnoreUnknown=1', 'IgnoreUnknown=true', 'IgnoreUnknown=True'])(
    'accepts unknown keys with %s',
    (flag) => {
      expect(load({}, `K8S_POD_NAME=x;${flag};MAC=${macs.env}`).mac).toBe(macs.env);
    },
  );
});

describe('decodeNetConfForStatus', () => {
  it('decodes without VLAN validation', () => {
    const decoded = decodeNetConfForStatus(
      JSON.stringify({ ...base, vlan: 5000, ipam: { type: 'x' } }),
    );
    expect(decoded.ipamType).toBe('x');
  });
  it('still refuses wrong JSON types', () => {
    expect(() => decodeNetConfForStatus('{"ipMasq":"yes"}')).toThrow('failed to load netconf');
  });
});
