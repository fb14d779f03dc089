/**
 * Property tests of result conversion (cni-spec.md §1.2): round trips where the spec says the data
 * survives, and failures where it cannot.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_VERSIONS,
  convertResult,
  isCniError,
  parseResult,
  type Result,
  type Result020,
  type Result040,
} from '../src/index.js';

const hex = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const ip4 = fc.ipV4();
const ip6 = fc.array(hex, { minLength: 8, maxLength: 8 }).map((g) => g.join(':'));
const cidr4 = fc.tuple(ip4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`);
const cidr6 = fc.tuple(ip6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`);
const anyIp = fc.oneof(ip4, ip6);
const anyCidr = fc.oneof(cidr4, cidr6);
const word = fc.string({ minLength: 1, maxLength: 8 });
const words = fc.array(word, { minLength: 1, maxLength: 3 });
const positive = fc.integer({ min: 1, max: 65535 });

const dns = fc
  .record(
    {
      nameservers: fc.array(anyIp, { minLength: 1, maxLength: 2 }),
      domain: word,
      search: words,
      options: words,
    },
    { requiredKeys: [] },
  )
  .filter((d) => Object.keys(d).length > 0);

const iface100 = fc.record(
  { name: word, mac: word, mtu: positive, sandbox: word, socketPath: word, pciID: word },
  { requiredKeys: ['name'] },
);
const iface040 = fc.record({ name: word, mac: word, sandbox: word }, { requiredKeys: ['name'] });
const ipEntry = fc.record(
  { address: anyCidr, gateway: anyIp, interface: fc.nat(4) },
  { requiredKeys: ['address'] },
);
const route = fc.record(
  {
    dst: anyCidr,
    gw: anyIp,
    mtu: positive,
    advmss: positive,
    priority: positive,
    table: fc.nat(300),
    scope: fc.nat(255),
  },
  { requiredKeys: ['dst'] },
);

const nonEmptyList = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 4 });

/** Normalized internal results: no empty arrays, strings or zero mtu (the §6 rules). */
const result100: fc.Arbitrary<Result> = fc
  .record(
    {
      interfaces: nonEmptyList(iface100),
      ips: nonEmptyList(ipEntry),
      routes: nonEmptyList(route),
      dns,
    },
    { requiredKeys: [] },
  )
  .map((r) => ({ cniVersion: '1.1.0', ...r }));

const family = (cidr: string): '4' | '6' => (cidr.includes(':') ? '6' : '4');

const result040: fc.Arbitrary<Result040> = fc
  .record(
    {
      interfaces: nonEmptyList(iface040),
      ips: nonEmptyList(ipEntry),
      routes: nonEmptyList(route),
      dns,
    },
    { requiredKeys: [] },
  )
  .chain((r) =>
    fc.constantFrom('0.3.0', '0.3.1', '0.4.0').map((cniVersion): Result040 => {
      const { ips, ...rest } = r;
      const versioned = ips?.map((ip) => ({ version: family(ip.address), ...ip }));
      return { cniVersion, ...rest, ...(versioned ? { ips: versioned } : {}) };
    }),
  );

const legacyConfig = (cidr: fc.Arbitrary<string>, ip: fc.Arbitrary<string>) =>
  fc.record(
    {
      ip: cidr,
      gateway: ip,
      routes: nonEmptyList(fc.record({ dst: cidr, gw: ip }, { requiredKeys: ['dst'] })),
    },
    { requiredKeys: ['ip'] },
  );

const result020: fc.Arbitrary<Result020> = fc
  .record(
    { ip4: legacyConfig(cidr4, ip4), ip6: legacyConfig(cidr6, ip6), dns },
    { requiredKeys: [] },
  )
  .filter((r) => r.ip4 !== undefined || r.ip6 !== undefined)
  .chain((r) => fc.constantFrom('0.1.0', '0.2.0').map((cniVersion) => ({ cniVersion, ...r })));

function failsWithCode(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return isCniError(err) ? err.code : -1;
  }
  return undefined;
}

describe('conversion properties', () => {
  it('1.0.0 <-> 1.1.0 round-trips exactly', () => {
    fc.assert(
      fc.property(result100, (r) => {
        expect(convertResult(convertResult(r, '1.0.0'), '1.1.0')).toEqual(r);
      }),
    );
  });

  it('parsing a normalized 1.x result gives it back unchanged', () => {
    fc.assert(
      fc.property(result100, (r) => {
        expect(parseResult(r, '1.1.0')).toEqual(r);
      }),
    );
  });

  it('0.3.0 / 0.3.1 / 0.4.0 convert among themselves changing only cniVersion', () => {
    fc.assert(
      fc.property(result040, fc.constantFrom('0.3.0', '0.3.1', '0.4.0'), (r, to) => {
        expect(convertResult(r, to)).toEqual({ ...r, cniVersion: to });
      }),
    );
  });

  it('0.3.x/0.4.0 up to 1.1.0 and back down is lossless', () => {
    fc.assert(
      fc.property(result040, (r) => {
        const up = parseResult(r, '1.1.0');
        expect((up.ips ?? []).every((ip) => !('version' in ip))).toBe(true);
        expect(convertResult(up, r.cniVersion)).toEqual(r);
      }),
    );
  });

  it('1.x down to 0.4.0 and back up loses only the 1.1 interface fields', () => {
    fc.assert(
      fc.property(result100, (r) => {
        const back = convertResult(convertResult(r, '0.4.0'), '1.1.0');
        const expected = {
          ...r,
          ...(r.interfaces
            ? { interfaces: r.interfaces.map(({ name, mac, sandbox }) => ({ name, mac, sandbox })) }
            : {}),
        };
        expect(back).toEqual(JSON.parse(JSON.stringify(expected)));
      }),
    );
  });

  it('0.1.0/0.2.0 up to any newer version and back down is lossless', () => {
    fc.assert(
      fc.property(result020, fc.constantFrom('0.3.1', '0.4.0', '1.0.0', '1.1.0'), (r, via) => {
        const up = convertResult(r, via);
        expect(convertResult(up, r.cniVersion)).toEqual(r);
        expect(convertResult(parseResult(r, '1.1.0'), r.cniVersion)).toEqual(r);
      }),
    );
  });

  it('going to 0.1.0/0.2.0 fails exactly when there is no IP address', () => {
    fc.assert(
      fc.property(result100, fc.constantFrom('0.1.0', '0.2.0'), (r, to) => {
        const code = failsWithCode(() => convertResult(r, to));
        if (r.ips === undefined) expect(code).toBe(1);
        else {
          expect(code).toBeUndefined();
          const legacy = convertResult(r, to) as Result020;
          const first4 = r.ips.find((ip) => family(ip.address) === '4');
          expect(legacy.ip4?.ip).toBe(first4?.address);
        }
      }),
    );
  });

  it('every successful conversion is valid input for parseResult in its version', () => {
    fc.assert(
      fc.property(result100, fc.constantFrom(...ALL_VERSIONS), (r, to) => {
        if (failsWithCode(() => convertResult(r, to)) !== undefined) return;
        const wire: unknown = JSON.parse(JSON.stringify(convertResult(r, to)));
        expect(() => parseResult(wire, to)).not.toThrow();
      }),
    );
  });
});
