import { describe, expect, it } from 'vitest';
import { IMPL_IDS } from '../src/model.js';
import { bridgeNetConf, withPrevResult } from '../src/netconf.js';

describe('bridgeNetConf', () => {
  it('gives each implementation its own network, bridge and subnet', () => {
    const confs = IMPL_IDS.map((impl) => bridgeNetConf('basic', impl, '/tmp/ipam'));
    expect(new Set(confs.map((c) => c.name)).size).toBe(3);
    expect(new Set(confs.map((c) => c.bridge)).size).toBe(3);
    expect(new Set(confs.map((c) => c.ipam.ranges[0]![0]!.subnet)).size).toBe(3);
    for (const c of confs) expect(c.bridge.length).toBeLessThanOrEqual(15);
  });

  it('shapes basic, ipMasq and dual-stack', () => {
    expect(bridgeNetConf('basic', 'ref', '/d')).toEqual({
      cniVersion: '1.0.0',
      name: 'cnkbench-ref',
      type: 'bridge',
      bridge: 'cnkb-ref',
      isGateway: true,
      ipMasq: false,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.40.0.0/16' }]], dataDir: '/d' },
    });
    expect(bridgeNetConf('ipMasq', 'ours', '/d').ipMasq).toBe(true);
    expect(bridgeNetConf('dual-stack', 'ours', '/d').ipam.ranges).toEqual([
      [{ subnet: '10.41.0.0/16' }],
      [{ subnet: 'fd00:cb:41::/64' }],
    ]);
  });

  it('adds the ADD result as prevResult for CHECK and DEL', () => {
    const conf = bridgeNetConf('basic', 'ref', '/d');
    expect(withPrevResult(conf, { ips: [] })).toEqual({ ...conf, prevResult: { ips: [] } });
    expect(withPrevResult(conf, undefined)).toBe(conf);
  });
});
