/** parseResult: version stamping, shape validation (code 6 naming the field), unknown versions. */
import { describe, expect, it } from 'vitest';
import { isCniError, parseResult } from '../src/index.js';

function parseError(raw: unknown, fallback = '1.1.0', label?: string) {
  try {
    parseResult(raw, fallback, label ? { label } : {});
  } catch (err) {
    if (isCniError(err)) return { code: err.code, msg: err.msg, details: err.details };
    throw err;
  }
  throw new Error('parseResult did not fail');
}

describe('parseResult', () => {
  it('returns the internal 1.1.0 form for every version', () => {
    const ip = { address: '10.1.0.5/16', gateway: '10.1.0.1' };
    expect(parseResult({ cniVersion: '1.0.0', ips: [ip] }, '0.1.0')).toEqual({
      cniVersion: '1.1.0',
      ips: [ip],
    });
    expect(parseResult({ cniVersion: '0.3.1', ips: [{ ...ip, version: '4' }] }, '0.1.0')).toEqual({
      cniVersion: '1.1.0',
      ips: [ip],
    });
    expect(parseResult({ cniVersion: '0.1.0', ip4: { ip: ip.address } }, '1.1.0')).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: ip.address }],
    });
  });

  it("the result's own version wins over the fallback (IPAM may answer in another version)", () => {
    expect(parseResult({ cniVersion: '0.2.0', ip4: { ip: '10.0.0.1/8' } }, '1.1.0').ips).toEqual([
      { address: '10.0.0.1/8' },
    ]);
  });

  it('a fallback of "" means 0.1.0, and null fields count as unset', () => {
    expect(parseResult({ ip4: { ip: '10.0.0.1/8', gateway: null } }, '')).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: '10.0.0.1/8' }],
    });
    expect(parseResult({ ips: null, dns: null, routes: null }, '1.0.0')).toEqual({
      cniVersion: '1.1.0',
    });
  });

  it('a bad shape is code 6 naming the field', () => {
    expect(parseError({ ips: [{ address: '10.1.0.5' }] })).toMatchObject({
      code: 6,
      msg: 'invalid CNI result: ips[0].address: expected an IP address with a prefix length ("10.1.0.5/16")',
    });
    expect(parseError({ ips: [{ address: '10.1.0.5/33' }] }).msg).toContain('ips[0].address');
    expect(parseError({ ips: [{ address: '10.1.0.5/16', gateway: 'nope' }] }).msg).toBe(
      'invalid CNI result: ips[0].gateway: expected an IP address',
    );
    expect(parseError({ interfaces: [{ mac: 'x' }] }).msg).toBe(
      'invalid CNI result: interfaces[0].name: expected string',
    );
    expect(parseError({ routes: [{ dst: '::/0', table: -1 }] }).msg).toBe(
      'invalid CNI result: routes[0].table: must be at least 0',
    );
    expect(parseError({ ips: [{ address: '1.2.3.4/8', interface: 1.5 }] }).msg).toContain(
      'ips[0].interface: expected int',
    );
    expect(parseError({ ip4: { ip: 'x' } }, '0.2.0').msg).toContain('ip4.ip');
  });

  it('several problems are all listed in details', () => {
    const err = parseError({ ips: [{ address: 'a' }, { address: 'b' }] }, '1.1.0', 'IPAM result');
    expect(err.msg).toMatch(/^invalid IPAM result: ips\[0\]\.address/);
    expect(err.details).toContain('ips[1].address');
  });

  it('a non-object, a non-string version and an unknown version are refused', () => {
    for (const raw of [null, [], 'x', 5]) expect(parseError(raw).code).toBe(6);
    expect(parseError({ cniVersion: 1 }).msg).toBe(
      'invalid CNI result: cniVersion: expected string',
    );
    expect(parseError({ cniVersion: '7.0.0' })).toMatchObject({
      code: 1,
      msg: 'unsupported CNI result version "7.0.0"',
    });
  });
});

describe('result shape problems', () => {
  const problem = (raw: Record<string, unknown>, version = '1.0.0'): string | undefined => {
    try {
      parseResult({ cniVersion: version, ...raw }, version);
      return undefined;
    } catch (err) {
      return isCniError(err) ? err.msg : String(err);
    }
  };

  it('names the path and reason of each kind of problem', () => {
    expect(problem({ ips: {} })).toBe('invalid CNI result: ips: expected array');
    expect(problem({ ips: ['10.1.0.5/16'] })).toBe('invalid CNI result: ips[0]: expected object');
    expect(problem({ dns: { nameservers: [1] } })).toBe(
      'invalid CNI result: dns.nameservers[0]: expected string',
    );
    expect(problem({ routes: [{ dst: '0.0.0.0/0', mtu: 1.5 }] })).toBe(
      'invalid CNI result: routes[0].mtu: expected int',
    );
    expect(problem({ ips: [{ address: '10.1.0.5/16', version: 4 }] }, '0.4.0')).toBe(
      'invalid CNI result: ips[0].version: expected string',
    );
  });

  it('reads null and missing optional fields as unset and ignores unknown keys', () => {
    expect(
      problem({
        interfaces: [{ name: 'eth0', mac: null, mtu: null, extra: { any: 'thing' } }],
        ips: [{ address: '10.1.0.5/16', gateway: '' }],
        routes: null,
        dns: null,
        somethingNew: true,
      }),
    ).toBeUndefined();
  });
});
