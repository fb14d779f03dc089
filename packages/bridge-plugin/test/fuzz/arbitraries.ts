/**
 * fast-check generators of bad input for the bridge: hostile text, bridge configs mutated field
 * by field (as raw JSON text, so duplicate keys, case variants and huge numbers survive), CNI_ARGS
 * strings, and hostile IPAM results.
 */
import fc from 'fast-check';
import {
  anyJsonOf,
  caseVariant,
  hostileCharFrom,
  hostileStringOf,
  jsonLeaves,
} from '@cnikit-tools/test-utils';
import { FAKE_IPAM } from './fake-kernel.js';

/** Characters that break command lines, batch parsers and terminals. */
export const hostileChar = hostileCharFrom(['ſ']);

/** Text mixing ordinary characters with hostile ones, any code point, or a long run. */
export const hostileString: fc.Arbitrary<string> = hostileStringOf(hostileChar, {
  maxParts: 10,
  maxBinaryLength: 16,
  repeat: { min: 16, max: 5_000 },
});

/** A name that is almost an interface name: valid, or one hostile character away. */
export const nearIfName: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/),
  fc
    .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,12}$/), hostileChar, fc.nat(12))
    .map(([name, ch, at]) => name.slice(0, at) + ch + name.slice(at)),
  fc.constantFrom(
    '-x',
    'x-',
    '.',
    '..',
    'a'.repeat(15),
    'a'.repeat(16),
    'ééééééé',
    'éééééééé',
    'lo',
  ),
  hostileString,
);

/** Key spellings Go's decoder still matches: ASCII case changes, Kelvin sign and long s. */
export const goCaseVariant = (key: string): fc.Arbitrary<string> =>
  fc
    .tuple(caseVariant(key), fc.boolean())
    .map(([k, exotic]) => (exotic ? k.replace(/k/gi, '\u212a').replace(/s/gi, '\u017f') : k));

/** JSON literals JSON.stringify cannot write, or wrong for an int field. */
export const oddNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '99999999999999999999',
  '9223372036854775807',
  '9223372036854775808',
  // The edges of what a double holds exactly (the decoder's integer range).
  '9007199254740991',
  '9007199254740992',
  '-9007199254740991',
  '-9007199254740992',
  '-9223372036854775809',
  '1.0',
  '1.5',
  '-0',
  '1E2',
  '0.5e1',
);

/** A JSON value of any shape, strings hostile (leaves as one branch, beside arrays and objects). */
export const anyJson: fc.Arbitrary<unknown> = anyJsonOf(
  [fc.oneof(...jsonLeaves(hostileString))],
  3,
);

/** A value for any field, as JSON text: wrong types, nulls, odd numbers, hostile text, nesting. */
export const anyValueText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', 'false', '0', '-1', '4095', '65536', '""', '[]', '{}', '[null]'),
  oddNumberText,
  hostileString.map((s) => JSON.stringify(s)),
  anyJson.map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.integer({ min: 20, max: 500 }), fc.boolean())
    .map(([d, arr]) =>
      arr ? '['.repeat(d) + ']'.repeat(d) : '{"a":'.repeat(d) + '1' + '}'.repeat(d),
    ),
);

/** The bridge config every mutation starts from: L3 with masquerade, spoof check and a VLAN. */
export const BASE_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['cniVersion', '"1.1.0"'],
  ['name', '"fuzznet"'],
  ['type', '"bridge"'],
  ['bridge', '"br0"'],
  ['isGateway', 'true'],
  ['ipMasq', 'true'],
  ['ipam', JSON.stringify({ type: FAKE_IPAM })],
];

/** Every key the bridge reads, top level. */
export const BRIDGE_KEYS = [
  'cniVersion',
  'name',
  'type',
  'ipam',
  'dns',
  'prevResult',
  'cni.dev/valid-attachments',
  'bridge',
  'isGateway',
  'isDefaultGateway',
  'forceAddress',
  'ipMasq',
  'ipMasqBackend',
  'mtu',
  'hairpinMode',
  'promiscMode',
  'vlan',
  'vlanTrunk',
  'preserveDefaultVlan',
  'macspoofchk',
  'enabledad',
  'disableContainerInterface',
  'portIsolation',
  'args',
  'runtimeConfig',
  'capabilities',
] as const;

/** Values of the right JSON type but hostile content, per key. */
const typedHostile: Partial<Record<(typeof BRIDGE_KEYS)[number], fc.Arbitrary<unknown>>> = {
  cniVersion: fc.constantFrom(
    '1.1.0',
    '1.0.0',
    '0.4.0',
    '0.3.1',
    '0.2.0',
    '0.1.0',
    '',
    '1.1',
    '2.0.0',
  ),
  bridge: nearIfName,
  isGateway: fc.boolean(),
  isDefaultGateway: fc.boolean(),
  forceAddress: fc.boolean(),
  ipMasq: fc.boolean(),
  hairpinMode: fc.boolean(),
  promiscMode: fc.boolean(),
  preserveDefaultVlan: fc.boolean(),
  macspoofchk: fc.boolean(),
  enabledad: fc.boolean(),
  disableContainerInterface: fc.boolean(),
  portIsolation: fc.boolean(),
  dns: fc.record(
    {
      nameservers: fc.array(hostileString, { maxLength: 2 }),
      domain: hostileString,
      search: fc.array(hostileString, { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
  name: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/), hostileString),
  ipMasqBackend: fc.oneof(
    // Object.prototype names are fuzzed apart: injection.fuzz.test.ts, STATUS bug.
    fc.constantFrom('iptables', 'nftables', 'NFTABLES', '', 'none'),
    hostileString,
  ),
  mtu: fc.oneof(
    fc.integer({ min: -10, max: 70_000 }),
    fc.constantFrom(0, 67, 68, 1500, 65535, 65536),
  ),
  vlan: fc.oneof(fc.integer({ min: -5, max: 5_000 }), fc.constantFrom(0, 1, 4094, 4095)),
  vlanTrunk: fc.array(
    fc.oneof(
      fc.constant(null),
      fc.record(
        {
          minID: fc.integer({ min: -2, max: 4096 }),
          maxID: fc.integer({ min: -2, max: 4096 }),
          id: fc.integer({ min: -2, max: 4096 }),
        },
        { requiredKeys: [] },
      ),
    ),
    { maxLength: 3 },
  ),
  runtimeConfig: fc.record({
    mac: fc.oneof(
      fc.constantFrom(
        '02:00:00:00:00:01',
        '01:00:00:00:00:01',
        '00:00:00:00:00:00',
        '02-00-00-00-00-01',
        '0200.0000.0001',
        '02:00:00:00:00:01:02:03',
      ),
      hostileString,
    ),
  }),
  args: fc.record({ cni: fc.record({ mac: hostileString }) }),
  ipam: fc.record({ type: fc.oneof(fc.constant(FAKE_IPAM), hostileString) }),
  'cni.dev/valid-attachments': fc.array(
    fc.record({ containerID: hostileString, ifname: hostileString }),
    { maxLength: 2 },
  ),
};

/** One change to the config's entries; right-typed hostile values are the most frequent. */
export const configMutation = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...BRIDGE_KEYS).chain((key) =>
      fc.record({
        op: fc.constant('set' as const),
        key: fc.constant(key),
        value: (typedHostile[key] ?? anyJson).map((v) => JSON.stringify(v)),
      }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('set' as const),
      key: fc.constantFrom(...BRIDGE_KEYS),
      value: anyValueText,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('delete' as const),
      key: fc.constantFrom(...BRIDGE_KEYS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...BRIDGE_KEYS).chain((key) =>
      fc.record({
        op: fc.constant('add' as const),
        key: goCaseVariant(key),
        value: (typedHostile[key] ?? anyJson).map((v) => JSON.stringify(v)),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      key: hostileString.filter((k) => !/^log/i.test(k)),
      value: anyValueText,
    }),
  },
);
export type ConfigMutation = typeof configMutation extends fc.Arbitrary<infer M> ? M : never;

/** Applies mutations to entries: `set` replaces (or appends), `add` appends a possibly repeated key. */
export function applyMutations(
  base: ReadonlyArray<readonly [string, string]>,
  mutations: readonly ConfigMutation[],
): string {
  let entries: Array<readonly [string, string]> = [...base];
  for (const m of mutations) {
    if (m.op === 'delete') entries = entries.filter(([k]) => k !== m.key);
    else if (m.op === 'set' && entries.some(([k]) => k === m.key))
      entries = entries.map(([k, v]) => [k, k === m.key ? m.value : v] as const);
    else entries = [...entries, [m.key, m.value] as const];
  }
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** The base config with one to four mutations, as JSON text. */
export const bridgeConfigText = fc
  .array(configMutation, { minLength: 1, maxLength: 3 })
  .map((mutations) => applyMutations(BASE_CONFIG, mutations));

/** CNI_ARGS strings for the bridge (MAC, IgnoreUnknown, CommonArgs, junk). */
export const bridgeCniArgs: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.oneof(
        fc
          .tuple(
            fc.constantFrom(
              'MAC',
              'mac',
              'IgnoreUnknown',
              'ignoreunknown',
              'CommonArgs',
              'IP',
              'K8S_POD_NAME',
            ),
            fc.oneof(
              fc.constantFrom(
                '1',
                'true',
                'TRUE',
                '0',
                'false',
                '',
                'yes',
                '02:00:00:00:00:01',
                '01:00:00:00:00:01',
              ),
              hostileString.map((s) => s.replace(/[;=]/g, '')),
            ),
          )
          .map(([k, v]) => `${k}=${v}`),
        fc
          .array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 4 })
          .map((p) => p.join('=')),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => pairs.join(';')),
  hostileString,
);

/** Addresses and prefixes that are wrong in every way an IPAM plugin could get them wrong. */
export const hostileAddress: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '10.1.2.5/24',
    'fd00::5/64',
    '10.1.2.5',
    '10.1.2.5/33',
    '10.1.2.5/24 dev lo',
    '10.1.2.5/24\nlink del br0',
    '10.1.2.5/24#',
    '"10.1.2.5/24"',
    '010.001.002.005/24',
    '::ffff:10.1.2.5/120',
    'fe80::1%eth0/64',
    '-1.2.3.4/24',
    '1.2.3.4/-1',
    '1.2.3.4/024',
    '256.1.1.1/24',
    '0.0.0.0/0',
    ' 10.1.2.5/24',
  ),
  fc.tuple(fc.ipV4(), fc.integer({ min: -1, max: 40 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 130 })).map(([a, p]) => `${a}/${p}`),
  hostileString,
);

/** A bare gateway or route destination, hostile or not. */
const hostileIp = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('10.1.2.1 ', '10.1.2.1\n', 'default', '0.0.0.0/0'),
  hostileString,
);

/** An address with a prefix that parses, in the odd corners: host bits, /0, /32, mapped v4. */
const parsableCidr = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
  fc.constantFrom('::ffff:10.1.2.5/120', '0.0.0.0/0', '::/0', '255.255.255.255/32', 'fe80::1/64'),
);

/** IPAM results that parse: families mixed between addresses, gateways and routes. */
const plausibleIpamOutput: fc.Arbitrary<string> = fc
  .record(
    {
      cniVersion: fc.constantFrom('1.0.0', '1.1.0', '0.4.0'),
      ips: fc.array(
        fc.record(
          { address: parsableCidr, gateway: fc.oneof(fc.ipV4(), fc.ipV6()) },
          { requiredKeys: ['address'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      routes: fc.array(
        fc.record(
          {
            dst: parsableCidr,
            gw: fc.oneof(fc.ipV4(), fc.ipV6()),
            priority: fc.nat(5),
            table: fc.nat(300),
            scope: fc.nat(300),
          },
          { requiredKeys: ['dst'] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['cniVersion', 'ips'] },
  )
  .map((r) => JSON.stringify(r));

/** IPAM ADD output: valid-looking results with hostile addresses, routes and DNS, or anything. */
export const hostileIpamOutput: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: plausibleIpamOutput },
  {
    weight: 5,
    arbitrary: fc
      .record(
        {
          cniVersion: fc.constantFrom('1.0.0', '1.1.0', '0.4.0', '0.3.1', '0.2.0', '', '9.9.9'),
          ips: fc.array(
            fc.record(
              {
                address: hostileAddress,
                gateway: hostileIp,
                interface: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant(0)),
                version: fc.constantFrom('4', '6', 'x'),
              },
              { requiredKeys: ['address'] },
            ),
            { minLength: 1, maxLength: 3 },
          ),
          routes: fc.array(
            fc.record(
              {
                dst: fc.oneof(hostileAddress, hostileIp),
                gw: hostileIp,
                mtu: fc.integer({ min: -1, max: 70_000 }),
                priority: fc.integer({ min: -1, max: 5 }),
                table: fc.integer({ min: -1, max: 300 }),
                scope: fc.integer({ min: -1, max: 300 }),
              },
              { requiredKeys: ['dst'] },
            ),
            { maxLength: 3 },
          ),
          interfaces: fc.array(
            fc.record({ name: nearIfName, mac: hostileString, sandbox: hostileString }),
            { maxLength: 2 },
          ),
          dns: fc.record(
            { nameservers: fc.array(hostileString, { maxLength: 2 }), domain: hostileString },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: ['ips'] },
      )
      .map((r) => JSON.stringify(r)),
  },
  { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.oneof(hostileString, fc.constantFrom('', 'null', '{', '[]')) },
);
