/** The demo's embedded network: a gateway bridge with masquerade and host-local addresses. */

export const DEMO_SUBNET = '10.88.0.0/24';
export const DEMO_GATEWAY = '10.88.0.1';

export function demoNetworkConfig(options: {
  cniVersion: string;
  dataDir: string;
}): Record<string, unknown> {
  return {
    cniVersion: options.cniVersion,
    name: 'cnikit-demo',
    type: 'bridge',
    bridge: 'cni0',
    isGateway: true,
    ipMasq: true,
    hairpinMode: true,
    ipam: {
      type: 'host-local',
      ranges: [[{ subnet: DEMO_SUBNET, gateway: DEMO_GATEWAY }]],
      routes: [{ dst: '0.0.0.0/0' }],
      dataDir: options.dataDir,
    },
  };
}

/** The container's IPv4 address (without prefix) from an ADD result of any 0.3+ version. */
export function firstIPv4(result: unknown): string | undefined {
  const ips = (result as { ips?: Array<{ address?: unknown }> } | null)?.ips ?? [];
  for (const ip of ips) {
    if (typeof ip.address === 'string' && ip.address.includes('.')) return ip.address.split('/')[0];
  }
  return undefined;
}
