import { describe, expect, it } from 'vitest';
import { planGateways } from '../../src/plan/gateways.js';

describe('planGateways', () => {
  it('points every IP at the container and computes network+1 as gateway', () => {
    const plan = planGateways(
      { ips: [{ address: '10.1.2.5/24' }, { address: 'fd00:1::5/64' }] },
      { isGateway: true, isDefaultGateway: false },
    );
    expect(plan.ips).toEqual([
      { address: '10.1.2.5/24', gateway: '10.1.2.1', interface: 2 },
      { address: 'fd00:1::5/64', gateway: 'fd00:1::1', interface: 2 },
    ]);
    expect(plan.bridgeAddresses).toEqual({ 4: ['10.1.2.1/24'], 6: ['fd00:1::1/64'] });
    expect(plan.routes).toEqual([]);
  });

  it('keeps an IPAM gateway and computes none without isGateway', () => {
    const plan = planGateways(
      { ips: [{ address: '10.1.2.5/24', gateway: '10.1.2.254' }, { address: '10.9.0.5/16' }] },
      { isGateway: false, isDefaultGateway: false },
    );
    expect(plan.ips[0]?.gateway).toBe('10.1.2.254');
    expect(plan.ips[1]?.gateway).toBeUndefined();
    expect(plan.bridgeAddresses).toEqual({ 4: [], 6: [] });
  });

  it('adds one default route per family with isDefaultGateway (implying isGateway)', () => {
    const plan = planGateways(
      { ips: [{ address: '10.1.2.5/24' }, { address: '10.1.3.5/24' }, { address: 'fd00::5/64' }] },
      { isGateway: false, isDefaultGateway: true },
    );
    expect(plan.routes).toEqual([
      { dst: '0.0.0.0/0', gw: '10.1.2.1' },
      { dst: '::/0', gw: 'fd00::1' },
    ]);
    expect(plan.bridgeAddresses[4]).toEqual(['10.1.2.1/24', '10.1.3.1/24']);
  });

  it('keeps an IPAM default route that has a gateway', () => {
    const plan = planGateways(
      { ips: [{ address: '10.1.2.5/24' }], routes: [{ dst: '0.0.0.0/0', gw: '10.1.2.9' }] },
      { isGateway: true, isDefaultGateway: true },
    );
    expect(plan.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.1.2.9' }]);
  });

  it('adds a second default route when the IPAM one has no gateway (as the reference)', () => {
    const plan = planGateways(
      { ips: [{ address: '10.1.2.5/24' }], routes: [{ dst: '0.0.0.0/0' }] },
      { isGateway: true, isDefaultGateway: true },
    );
    expect(plan.routes).toEqual([{ dst: '0.0.0.0/0' }, { dst: '0.0.0.0/0', gw: '10.1.2.1' }]);
  });

  it('computes the gateway of odd prefixes', () => {
    const plan = planGateways(
      { ips: [{ address: '192.168.7.77/28' }] },
      { isGateway: true, isDefaultGateway: false },
    );
    expect(plan.ips[0]?.gateway).toBe('192.168.7.65');
  });
});
