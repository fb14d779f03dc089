import { describe, expect, it } from 'vitest';
import { isRoot, NOT_ROOT_REASON } from '@cnikit-tools/test-utils';
import { demoNetworkConfig, firstIPv4 } from '../src/config.js';
import { runDemo } from '../src/demo.js';

describe('demo config', () => {
  it('embeds a gateway bridge with host-local IPAM in the given store', () => {
    const conf = demoNetworkConfig({ cniVersion: '1.1.0', dataDir: '/tmp/x' });
    expect(conf).toMatchObject({
      type: 'bridge',
      isGateway: true,
      ipam: { type: 'host-local', dataDir: '/tmp/x' },
    });
  });

  it('finds the first IPv4 address of a result', () => {
    expect(firstIPv4({ ips: [{ address: 'fd00::5/64' }, { address: '10.88.0.5/24' }] })).toBe(
      '10.88.0.5',
    );
    expect(firstIPv4({})).toBeUndefined();
  });
});

describe.skipIf(!isRoot)(`demo end to end (${NOT_ROOT_REASON})`, () => {
  it('attaches two containers that reach each other, then removes everything', async () => {
    const lines: string[] = [];
    const outcome = await runDemo((t) => lines.push(t));
    expect(outcome.addresses).toHaveLength(2);
    expect(new Set(outcome.addresses).size).toBe(2);
    expect(outcome.pings.every((p) => p.ok)).toBe(true);
    expect(outcome.leftoverReservations).toEqual([]);
    expect(outcome.leftoverPorts).toBe('');
    expect(lines.at(-1)).toContain('removed');
  }, 120_000);
});
