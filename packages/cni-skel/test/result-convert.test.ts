/** Checklist G (cni-spec.md §8): result types, serialization and conversion between versions. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  convertResult,
  isCniError,
  parseResult,
  type Result,
  type Result020,
  type Result040,
} from '../src/index.js';

const FULL: Result = JSON.parse(
  readFileSync(new URL('./fixtures/result-1.1.0.json', import.meta.url), 'utf8'),
) as Result;

function conversionError(result: Parameters<typeof convertResult>[0], to: string) {
  try {
    convertResult(result, to);
  } catch (err) {
    if (isCniError(err)) return { code: err.code, msg: err.msg };
    throw err;
  }
  throw new Error('conversion did not fail');
}

describe('G. results', () => {
  it('G.41 a 1.1.0 result keeps interface 0, table 0 and scope 0 when serialized', () => {
    const text = JSON.stringify(convertResult(FULL, '1.1.0'));
    expect(text).toContain('"interface":0');
    expect(text).toContain('"table":0');
    expect(text).toContain('"scope":0');
    expect(JSON.parse(text)).toEqual(FULL);
  });

  it('G.42 1.1.0 -> 1.0.0 changes only cniVersion; and back is deep-equal', () => {
    const v100 = convertResult(FULL, '1.0.0');
    expect(v100).toEqual({ ...FULL, cniVersion: '1.0.0' });
    expect(convertResult(v100, '1.1.0')).toEqual(FULL);
  });

  it('G.43 -> 0.4.0: ips gain version, interfaces lose 1.1 fields, index 0 kept', () => {
    const v040 = convertResult(FULL, '0.4.0') as Result040;
    expect(v040.cniVersion).toBe('0.4.0');
    expect(v040.interfaces).toEqual([
      { name: 'eth0', mac: 'c2:11:22:33:44:55', sandbox: '/var/run/netns/t1' },
    ]);
    expect(v040.ips).toEqual([
      { version: '4', address: '1.2.3.30/24', gateway: '1.2.3.1', interface: 0 },
      { version: '6', address: '2001:db8::30/64', gateway: '2001:db8::1', interface: 0 },
    ]);
    // The Go reference keeps the route extras even though 0.4.0 does not define them.
    expect(v040.routes).toEqual(FULL.routes);
    expect(v040.dns).toEqual(FULL.dns);
  });

  it('G.44 -> 0.3.1 and 0.3.0 equal the 0.4.0 form but for cniVersion; the key is "ips"', () => {
    const v040 = convertResult(FULL, '0.4.0');
    for (const version of ['0.3.1', '0.3.0']) {
      const converted = convertResult(FULL, version);
      expect(converted).toEqual({ ...v040, cniVersion: version });
      expect(converted).toHaveProperty('ips');
      expect(converted).not.toHaveProperty('ip');
    }
  });

  it('G.45 -> 0.2.0: ip4/ip6 with their own routes (dst+gw only), dns copied', () => {
    expect(convertResult(FULL, '0.2.0')).toEqual({
      cniVersion: '0.2.0',
      ip4: {
        ip: '1.2.3.30/24',
        gateway: '1.2.3.1',
        routes: [{ dst: '0.0.0.0/0', gw: '1.2.3.1' }, { dst: '10.9.0.0/16' }],
      },
      ip6: {
        ip: '2001:db8::30/64',
        gateway: '2001:db8::1',
        routes: [{ dst: '::/0', gw: '2001:db8::1' }],
      },
      dns: FULL.dns,
    });
  });

  it('G.46 three IPv4 addresses -> 0.2.0: only the first is kept', () => {
    const three: Result = {
      cniVersion: '1.1.0',
      ips: [{ address: '10.0.0.1/24' }, { address: '10.0.0.2/24' }, { address: '10.0.0.3/24' }],
    };
    expect(convertResult(three, '0.2.0')).toEqual({
      cniVersion: '0.2.0',
      ip4: { ip: '10.0.0.1/24' },
    });
  });

  it('G.47 a result without IPs cannot become 0.1.0 or 0.2.0 ("" means 0.1.0)', () => {
    const l2: Result = { cniVersion: '1.1.0', interfaces: [{ name: 'eth0' }] };
    for (const to of ['0.2.0', '0.1.0', '']) {
      expect(conversionError(l2, to)).toEqual({
        code: 1,
        msg: 'cannot convert: no valid IP addresses',
      });
    }
  });

  it('G.47 routes of a family without an address are dropped going to 0.2.0', () => {
    const v4only: Result = {
      cniVersion: '1.1.0',
      ips: [{ address: '10.0.0.1/24' }],
      routes: [{ dst: '::/0' }, { dst: '0.0.0.0/0', gw: '10.0.0.254', priority: 5 }],
    };
    expect(convertResult(v4only, '0.1.0')).toEqual({
      cniVersion: '0.1.0',
      ip4: { ip: '10.0.0.1/24', routes: [{ dst: '0.0.0.0/0', gw: '10.0.0.254' }] },
    });
  });

  it('G.48 0.2.0 up to 1.1.0: ips [v4, v6] without version or interface, routes in order', () => {
    const legacy: Result020 = {
      cniVersion: '0.2.0',
      ip4: {
        ip: '10.1.0.5/16',
        gateway: '10.1.0.1',
        routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }],
      },
      ip6: { ip: 'fd00::5/64', routes: [{ dst: '::/0' }] },
      dns: { nameservers: ['10.1.0.1'] },
    };
    const expected = {
      cniVersion: '1.1.0',
      ips: [{ address: '10.1.0.5/16', gateway: '10.1.0.1' }, { address: 'fd00::5/64' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }, { dst: '::/0' }],
      dns: { nameservers: ['10.1.0.1'] },
    };
    expect(convertResult(legacy, '1.1.0')).toEqual(expected);
    expect(parseResult(legacy, '0.2.0')).toEqual(expected);
  });

  it('G.49 0.4.0 up to 1.1.0 drops version and keeps the host bits', () => {
    const v040: Result040 = {
      cniVersion: '0.4.0',
      interfaces: [{ name: 'eth0', sandbox: '/x' }],
      ips: [{ version: '4', address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 0 }],
    };
    const expected = {
      cniVersion: '1.1.0',
      interfaces: [{ name: 'eth0', sandbox: '/x' }],
      ips: [{ address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 0 }],
    };
    expect(convertResult(v040, '1.1.0')).toEqual(expected);
    expect(parseResult(v040, '1.1.0')).toEqual(expected);
  });

  it('G.50 a result without cniVersion inside a 1.0.0 config is read as 1.0.0', () => {
    const raw = { ips: [{ address: '10.1.0.5/16', version: '4' }] };
    expect(parseResult(raw, '1.0.0')).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: '10.1.0.5/16' }],
    });
    // The same bytes under a 0.2.0 config are the legacy shape: no ip4/ip6, so no IPs.
    expect(parseResult(raw, '0.2.0')).toEqual({ cniVersion: '1.1.0' });
    // An empty version string is stamped too.
    expect(parseResult({ ...raw, cniVersion: '' }, '0.4.0').ips).toEqual([
      { address: '10.1.0.5/16' },
    ]);
  });

  it('G.51 empty dns and unset gateways are left out', () => {
    const sparse: Result = {
      cniVersion: '1.1.0',
      interfaces: [{ name: 'eth0', mac: '', mtu: 0 }],
      ips: [{ address: '10.1.0.5/16' }],
      routes: [{ dst: '0.0.0.0/0', mtu: 0, advmss: 0, priority: 0 }],
      dns: { nameservers: [], search: [], options: [], domain: '' },
    };
    const text = JSON.stringify(convertResult(sparse, '1.0.0'));
    expect(text).toBe(
      '{"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],"ips":[{"address":"10.1.0.5/16"}],' +
        '"routes":[{"dst":"0.0.0.0/0"}]}',
    );
    expect(convertResult({ cniVersion: '1.1.0', ips: [], routes: [] }, '1.1.0')).toEqual({
      cniVersion: '1.1.0',
    });
  });

  it('0.1.0 <-> 0.2.0 and 0.3.x <-> 0.4.0 only change cniVersion', () => {
    const legacy = convertResult(FULL, '0.2.0');
    expect(convertResult(legacy, '0.1.0')).toEqual({ ...legacy, cniVersion: '0.1.0' });
    const v040 = convertResult(FULL, '0.4.0');
    expect(convertResult(v040, '0.3.0')).toEqual({ ...v040, cniVersion: '0.3.0' });
  });

  it('0.4.0 down to 0.2.0 picks the first address of each family', () => {
    const v040: Result040 = {
      cniVersion: '0.4.0',
      ips: [
        { version: '6', address: 'fd00::1/64' },
        { version: '4', address: '10.0.0.1/8', gateway: '10.0.0.254' },
        { version: '4', address: '10.0.0.2/8' },
      ],
    };
    expect(convertResult(v040, '0.2.0')).toEqual({
      cniVersion: '0.2.0',
      ip4: { ip: '10.0.0.1/8', gateway: '10.0.0.254' },
      ip6: { ip: 'fd00::1/64' },
    });
  });

  it('unknown versions have no converter (code 1)', () => {
    expect(conversionError(FULL, '2.0.0')).toEqual({
      code: 1,
      msg: 'no converter for CNI result version 1.1.0 to 2.0.0',
    });
    expect(conversionError({ ...FULL, cniVersion: '0.9.0' }, '1.1.0').msg).toBe(
      'no converter for CNI result version 0.9.0 to 1.1.0',
    );
  });

  it("a result with an empty cniVersion counts as its shape family's highest version", () => {
    expect(convertResult({ cniVersion: '', ip4: { ip: '10.0.0.1/8' } }, '0.2.0')).toEqual({
      cniVersion: '0.2.0',
      ip4: { ip: '10.0.0.1/8' },
    });
    expect(
      convertResult({ cniVersion: '', ips: [{ version: '4', address: '10.0.0.1/8' }] }, '1.1.0'),
    ).toEqual({ cniVersion: '1.1.0', ips: [{ address: '10.0.0.1/8' }] });
  });
});
