/**
 * The nftables scenario of the upstream library test (reference-bridge.md §3), with the networks,
 * interfaces and container IDs whose hashes are the published vectors.
 */
export const NFT_ATTACHMENTS = [
  { network: 'unit-test', ifName: 'eth0', containerId: 'one', ips: ['192.168.1.1/24'] },
  {
    network: 'unit-test',
    ifName: 'eth0',
    containerId: 'two',
    ips: ['192.168.1.2/24', '2001:db8::2/64'],
  },
  { network: 'unit-test', ifName: 'net1', containerId: 'three', ips: ['192.168.99.5/24'] },
  { network: 'alternate', ifName: 'net1', containerId: 'three', ips: ['10.0.0.6/24'] },
] as const;
