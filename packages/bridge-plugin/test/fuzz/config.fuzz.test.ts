/**
 * Fuzzing the bridge's config layer directly (`loadNetConf`): scalar fields against a model of Go's
 * encoding/json (case-insensitive keys, the first type error reported, null keeps the default,
 * the last key wins), every other field mutated, and CNI_ARGS against Go's LoadArgs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BridgeConfigError,
  DEFAULT_BRIDGE,
  loadNetConf,
  type BridgeConf,
} from '../../src/index.js';
import {
  anyValueText,
  bridgeCniArgs,
  bridgeConfigText,
  goCaseVariant,
  hostileString,
  oddNumberText,
} from './arbitraries.js';

type GoKind = 'bool' | 'int' | 'string' | '*string';
const SCALARS: Readonly<Record<string, GoKind>> = {
  cniVersion: 'string',
  name: 'string',
  type: 'string',
  bridge: 'string',
  ipMasqBackend: '*string',
  isGateway: 'bool',
  isDefaultGateway: 'bool',
  forceAddress: 'bool',
  ipMasq: 'bool',
  hairpinMode: 'bool',
  promiscMode: 'bool',
  preserveDefaultVlan: 'bool',
  macspoofchk: 'bool',
  enabledad: 'bool',
  disableContainerInterface: 'bool',
  portIsolation: 'bool',
  mtu: 'int',
  vlan: 'int',
};
const FIELDS = Object.keys(SCALARS);

/** Go's key folding: ASCII case, and the Kelvin sign and long s that fold to k and s. */
const fold = (s: string): string =>
  s
    .replace(/\u212a/g, 'k')
    .replace(/\u017f/g, 's')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The integers the decoder takes: Go's int64 would take more, but a double holds only these
 * exactly (beyond them the decoder refuses, docs/compatibility.md).
 */
const EXACT_INT = { min: -(2n ** 53n - 1n), max: 2n ** 53n - 1n };

/** Go's name for a JSON value in an UnmarshalTypeError. */
function goValueName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // number, string or object (null never reaches here)
}

/** What Go stores for one JSON value into a field of `kind`: a value, 'keep' for null, or the type error. */
function store(kind: GoKind, value: unknown, text: string): { ok: unknown } | { error: string } {
  if (value === null) return { ok: kind === '*string' ? undefined : 'keep' };
  if (kind === 'bool')
    return typeof value === 'boolean' ? { ok: value } : { error: goValueName(value) };
  if (kind === 'int') {
    if (typeof value !== 'number') return { error: goValueName(value) };
    if (/^-?\d+$/.test(text) && BigInt(text) >= EXACT_INT.min && BigInt(text) <= EXACT_INT.max)
      return { ok: Number(BigInt(text)) };
    return { error: `number ${text}` };
  }
  return typeof value === 'string' ? { ok: value } : { error: goValueName(value) };
}

const GO_TYPE: Record<GoKind, string> = {
  bool: 'bool',
  int: 'int',
  string: 'string',
  '*string': 'string',
};

type Model = { conf: Record<string, unknown> } | { error: string };

/** Go's decoding of `entries` (key, JSON text) into the bridge's scalar fields. */
function decodeModel(entries: ReadonlyArray<readonly [string, string]>): Model {
  const conf: Record<string, unknown> = { bridge: DEFAULT_BRIDGE };
  let first: string | undefined;
  for (const [key, text] of entries) {
    const field = FIELDS.find((f) => f === key) ?? FIELDS.find((f) => fold(f) === fold(key));
    if (field === undefined) continue;
    const kind = SCALARS[field] ?? 'string';
    const r = store(kind, JSON.parse(text), text);
    if ('error' in r) {
      first ??= `failed to load netconf: json: cannot unmarshal ${r.error} into Go struct field NetConf.${field} of type ${GO_TYPE[kind]}`;
    } else if (r.ok !== 'keep') conf[field] = r.ok;
    else if (kind === '*string') delete conf[field];
  }
  if (first !== undefined) return { error: first };
  const vlan = (conf.vlan as number | undefined) ?? 0;
  if (vlan < 0 || vlan > 4094)
    return { error: `invalid VLAN ID ${vlan} (must be between 0 and 4094)` };
  return { conf };
}

const scalarValue = fc.oneof(
  fc.boolean().map((b) => JSON.stringify(b)),
  fc.integer({ min: -10, max: 5000 }).map(String),
  oddNumberText,
  hostileString.map((s) => JSON.stringify(s)),
  fc.constantFrom('null', '[]', '{}', '[1]', '{"a":1}'),
);

const scalarEntries = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom(...FIELDS).chain(goCaseVariant)),
    scalarValue,
  ),
  { maxLength: 6 },
);

const entriesText = (entries: ReadonlyArray<readonly [string, string]>): string =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

function load(text: string, args?: string): { conf: BridgeConf } | { error: unknown } {
  try {
    return { conf: loadNetConf(text, args) };
  } catch (error) {
    return { error };
  }
}

describe('fuzzing loadNetConf', () => {
  it('decodes scalar fields exactly as Go encoding/json (keys in any case, first type error)', () => {
    fc.assert(
      fc.property(scalarEntries, (entries) => {
        const want = decodeModel(entries);
        const got = load(entriesText(entries));
        if ('error' in want) {
          expect('error' in got && got.error).toBeInstanceOf(BridgeConfigError);
          if ('error' in got) expect((got.error as Error).message).toBe(want.error);
          return;
        }
        expect('conf' in got).toBe(true);
        if (!('conf' in got)) return;
        for (const field of FIELDS) {
          const expected = want.conf[field];
          const actual = (got.conf as unknown as Record<string, unknown>)[field];
          if (expected === undefined) continue; // a default: checked by the other properties
          expect([field, actual]).toEqual([field, expected]);
        }
        expect(got.conf.ipMasqBackend).toBe(want.conf.ipMasqBackend);
      }),
      { numRuns: 600 },
    );
  });

  it('any mutated config loads or is refused with a BridgeConfigError, never another throw', () => {
    fc.assert(
      fc.property(bridgeConfigText, fc.option(bridgeCniArgs, { nil: undefined }), (text, args) => {
        const got = load(text, args);
        if ('conf' in got) {
          const c = got.conf;
          expect(typeof c.bridge).toBe('string');
          expect(Number.isSafeInteger(c.mtu)).toBe(true);
          expect(Number.isInteger(c.vlan) && c.vlan >= 0 && c.vlan <= 4094).toBe(true);
          for (const v of c.vlans) expect(Number.isInteger(v) && v >= 1 && v <= 4094).toBe(true);
          expect([...c.vlans].sort((a, b) => a - b)).toEqual(c.vlans);
          expect(c.mac === undefined || (typeof c.mac === 'string' && c.mac !== '')).toBe(true);
          return;
        }
        expect(got.error).toBeInstanceOf(BridgeConfigError);
        expect((got.error as Error).message).toMatch(
          /^(failed to load netconf: |invalid VLAN ID |incorrect trunk |minID |ARGS: )/,
        );
        expect((got.error as Error).message).not.toMatch(
          /Maximum call stack|is not a function|Cannot read/,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('values of any type for any key never crash the decoder', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(
                ...FIELDS,
                'ipam',
                'dns',
                'vlanTrunk',
                'args',
                'runtimeConfig',
                'prevResult',
                'cni.dev/valid-attachments',
                'capabilities',
              ),
              hostileString,
            ),
            anyValueText,
          ),
          { maxLength: 5 },
        ),
        (entries) => {
          const got = load(entriesText(entries));
          if ('error' in got) expect(got.error).toBeInstanceOf(BridgeConfigError);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('picks the MAC as the reference: runtimeConfig.mac, then args.cni.mac, then CNI_ARGS MAC', () => {
    const mac = fc.option(fc.constantFrom('02:00:00:00:00:01', '02:00:00:00:00:02', ''), {
      nil: undefined,
    });
    fc.assert(
      fc.property(mac, mac, mac, (runtime, args, env) => {
        const config: Record<string, unknown> = { name: 'n' };
        if (runtime !== undefined) config.runtimeConfig = { mac: runtime };
        if (args !== undefined) config.args = { cni: { mac: args } };
        const got = loadNetConf(JSON.stringify(config), env === undefined ? '' : `MAC=${env}`);
        const want = [runtime, args, env].find((m) => m !== undefined && m !== '');
        expect(got.mac).toBe(want);
      }),
      { numRuns: 100 },
    );
  });
});

type ArgsModel = { mac?: string } | { error: 'pair' | 'bool' | 'unknown' | 'common' };

/** Go's LoadArgs into the bridge's MacEnvArgs (types.CommonArgs embedded, plus MAC). */
function bridgeArgsModel(raw: string): ArgsModel {
  if (raw === '') return {};
  let mac: string | undefined;
  let unknown = 0;
  let ignore = false;
  for (const pair of raw.split(';')) {
    const kv = pair.split('=');
    if (kv.length !== 2) return { error: 'pair' };
    const [key = '', value = ''] = kv;
    if (key === 'MAC') mac = value;
    else if (key === 'IgnoreUnknown') {
      const v = value.toLowerCase();
      if (!['1', 'true', '0', 'false'].includes(v)) return { error: 'bool' };
      ignore = v === '1' || v === 'true';
    } else if (key === 'CommonArgs') return { error: 'common' };
    else unknown += 1;
  }
  if (unknown > 0 && !ignore) return { error: 'unknown' };
  return mac === undefined ? {} : { mac };
}

const ARGS_MESSAGE = {
  pair: /^ARGS: invalid pair "/,
  bool: /^ARGS: error parsing value of pair "/,
  unknown: /^ARGS: unknown args \[/,
  common: /^ARGS: cannot unmarshal into field 'CommonArgs'/,
} as const;

describe('fuzzing CNI_ARGS through loadNetConf', () => {
  it('parses CNI_ARGS as Go LoadArgs does, with its messages', () => {
    fc.assert(
      fc.property(fc.oneof(bridgeCniArgs, hostileString), (raw) => {
        const want = bridgeArgsModel(raw);
        const got = load('{"name":"n"}', raw);
        if ('error' in want) {
          expect('error' in got).toBe(true);
          if ('error' in got) {
            expect(got.error).toBeInstanceOf(BridgeConfigError);
            expect((got.error as Error).message).toMatch(ARGS_MESSAGE[want.error]);
          }
          return;
        }
        expect('conf' in got && got.conf.mac).toBe(want.mac === '' ? undefined : want.mac);
      }),
      { numRuns: 600 },
    );
  });

  it('a value of any type in any field keeps the CNI_ARGS verdict when the config is valid', () => {
    fc.assert(
      fc.property(anyValueText, (value) => {
        const got = load(`{"name":"n","x":${value}}`, 'IgnoreUnknown=1;junk=1');
        expect('conf' in got).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
