import { describe, expect, it } from 'vitest';
import { isCniError } from '@cnikit/cni-skel';
import {
  decodeNetConf,
  parseRequestedIp,
  resolveConfig,
  type HostLocalConfig,
} from '../src/config.js';
import { HostLocalError } from '../src/errors.js';
import { formatIp } from '../src/ip.js';
import { formatRangeSet } from '../src/range.js';

const conf = (
  ipam: unknown,
  extra: Record<string, unknown> = {},
  cniVersion = '1.0.0',
): unknown => ({
  cniVersion,
  name: 'net1',
  type: 'bridge',
  ipam,
  ...extra,
});
const load = (raw: unknown, envIp?: string): HostLocalConfig =>
  resolveConfig(decodeNetConf(raw), envIp === undefined ? undefined : parseRequestedIp(envIp));

function failure(fn: () => unknown): HostLocalError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HostLocalError);
    return error as HostLocalError;
  }
  throw new Error('expected a failure');
}

describe('configuration', () => {
  it('reads the legacy single range with its defaults', () => {
    const c = load(conf({ type: 'host-local', subnet: '10.9.0.0/24' }));
    expect(c.rangeSets.map(formatRangeSet)).toEqual(['10.9.0.1-10.9.0.254']);
    expect(c.dataDir).toBe('/var/lib/cni/networks');
    expect(c.routes).toEqual([]);
    expect(c.requested).toEqual([]);
  });

  it('orders range sets as the reference: ipRanges, legacy range, ranges', () => {
    const c = load(
      conf(
        {
          type: 'host-local',
          subnet: '10.9.0.0/24',
          ranges: [[{ subnet: 'fd00::/64' }]],
          dataDir: '/d',
        },
        { runtimeConfig: { ipRanges: [[{ subnet: '10.20.0.0/24' }]] } },
      ),
    );
    expect(c.rangeSets.map(formatRangeSet)).toEqual([
      '10.20.0.1-10.20.0.254',
      '10.9.0.1-10.9.0.254',
      'fd00::1-fd00::ffff:ffff:ffff:ffff',
    ]);
    expect(c.dataDir).toBe('/d');
  });

  it('canonicalizes routes and keeps the 1.1 route fields', () => {
    const c = load(
      conf({
        type: 'host-local',
        subnet: '10.9.0.0/24',
        routes: [{ dst: '0.0.0.0/0' }, { dst: 'FD00::/8', gw: 'FD00::1', mtu: 1400, table: 0 }],
      }),
    );
    expect(c.routes).toEqual([
      { dst: '0.0.0.0/0' },
      { dst: 'fd00::/8', gw: 'fd00::1', mtu: 1400, table: 0 },
    ]);
  });

  it('collects requested addresses from CNI_ARGS, args.cni.ips and runtimeConfig.ips, once each', () => {
    const c = load(
      conf(
        { type: 'host-local', subnet: '10.9.0.0/24' },
        {
          args: { cni: { ips: ['10.9.0.6/24', '10.9.0.5'] } },
          runtimeConfig: { ips: ['10.9.0.7', '10.9.0.5/24'] },
        },
      ),
      '10.9.0.5',
    );
    expect(c.requested.map(formatIp)).toEqual(['10.9.0.5', '10.9.0.6', '10.9.0.7']);
  });

  // Messages as Debian's host-local 1.1.1 prints them (observed by running it).
  it.each([
    [conf({ type: 'host-local' }), 'no IP ranges specified'],
    [conf(null), "IPAM config missing 'ipam' key"],
    [
      conf({ type: 'host-local', subnet: '10.9.0.0/31' }),
      'invalid range set 0: Network 10.9.0.0/31 too small to allocate from',
    ],
    [
      conf({ type: 'host-local', subnet: '10.9.0.5/24' }),
      'invalid range set 0: Network has host bits set. For a subnet mask of length 24 the network address is 10.9.0.0',
    ],
    [conf({ type: 'host-local', subnet: '10.9.0.0' }), 'invalid CIDR address: 10.9.0.0'],
    [conf({ type: 'host-local', subnet: 'banana' }), 'invalid CIDR address: banana'],
    [conf({ type: 'host-local', subnet: '10.9.0.0/24', gateway: 'xx' }), 'invalid IP address: xx'],
    [
      conf({ type: 'host-local', subnet: '10.9.0.0/24', rangeStart: '10.9.1.1' }),
      'invalid range set 0: RangeStart 10.9.1.1 not in network 10.9.0.0/24',
    ],
    [conf({ type: 'host-local', ranges: [] }), 'no IP ranges specified'],
    [conf({ type: 'host-local', ranges: [[]] }), 'invalid range set 0: empty range set'],
    [
      conf({ type: 'host-local', ranges: [[{ subnet: '10.9.0.0/24' }, { subnet: 'fd00::/64' }]] }),
      'invalid range set 0: mixed address families',
    ],
    [
      conf({
        type: 'host-local',
        ranges: [[{ subnet: '10.9.0.0/24' }], [{ subnet: '10.9.0.0/25' }]],
      }),
      'range set 0 overlaps with 1',
    ],
    [
      conf({ type: 'host-local', subnet: '10.9.0.0/24', ranges: [[{ subnet: '10.9.0.0/25' }]] }),
      'range set 0 overlaps with 1',
    ],
    [
      conf({ type: 'host-local', subnet: '10.9.0.0/24', routes: [{ dst: 'bad' }] }),
      'invalid CIDR address: bad',
    ],
    [
      conf({ type: 'host-local', subnet: '::ffff:10.9.0.0/120' }),
      'invalid range set 0: IPNet IP and Mask version mismatch',
    ],
    [
      conf(
        { type: 'host-local', ranges: [[{ subnet: '10.9.0.0/24' }], [{ subnet: '10.10.0.0/24' }]] },
        {},
        '0.2.0',
      ),
      'CNI version 0.2.0 does not support more than 1 address per family',
    ],
    [
      conf({ type: 'host-local', subnet: '10.9.0.0/24' }, { args: { cni: { ips: ['nope'] } } }),
      'invalid IP address nope',
    ],
    [
      conf(
        { type: 'host-local', subnet: '10.9.0.0/24' },
        { runtimeConfig: { ips: ['10.9.0.12/33'] } },
      ),
      'invalid IP address 10.9.0.12/33',
    ],
  ])('refuses %# with the reference text: %s', (raw, message) => {
    const error = failure(() => load(raw));
    expect(error.message).toBe(message);
    expect(error.code).toBe(7);
  });

  it('names the field of a mistyped value', () => {
    expect(
      failure(() => load(conf({ type: 'host-local', ranges: [[{ subnet: 5 }]] }))).message,
    ).toBe('invalid network config: ipam.ranges[0][0].subnet: expected string');
    expect(failure(() => load(conf(5))).message).toBe(
      'invalid network config: ipam: expected object',
    );
    expect(
      failure(() =>
        load(conf({ type: 'host-local', subnet: '10.9.0.0/24', routes: [{ gw: '10.0.0.1' }] })),
      ).message,
    ).toBe('invalid network config: ipam.routes[0].dst: expected string');
  });

  it('allows two addresses of one family from 0.3.0 on, and one per family before', () => {
    const twoV4 = {
      type: 'host-local',
      ranges: [[{ subnet: '10.9.0.0/24' }], [{ subnet: '10.10.0.0/24' }]],
    };
    expect(load(conf(twoV4, {}, '0.3.0')).rangeSets).toHaveLength(2);
    const dual = {
      type: 'host-local',
      ranges: [[{ subnet: '10.9.0.0/24' }], [{ subnet: 'fd00::/64' }]],
    };
    expect(load(conf(dual, {}, '0.1.0')).rangeSets).toHaveLength(2);
  });

  it('treats null and empty address fields as absent, as Go does', () => {
    const c = load(
      conf({
        type: 'host-local',
        subnet: '10.9.0.0/24',
        gateway: '',
        rangeStart: null,
        ranges: null,
      }),
    );
    expect(formatIp(c.rangeSets[0]![0]!.gateway)).toBe('10.9.0.1');
    expect(isCniError(failure(() => parseRequestedIp('')))).toBe(true);
  });
});
