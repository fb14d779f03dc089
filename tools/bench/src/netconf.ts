/** The network configurations the bench feeds both plugins (same shape for every implementation). */
import { IMPL_IDS, type ConfigName, type ImplId } from './model.js';

/** The CNI version every bench config declares. */
export const BENCH_CNI_VERSION = '1.0.0';

/** A bridge network configuration, as written to the plugin's stdin. */
export interface BridgeNetConf {
  cniVersion: string;
  name: string;
  type: 'bridge';
  bridge: string;
  isGateway: true;
  ipMasq: boolean;
  ipam: {
    type: 'host-local';
    ranges: { subnet: string }[][];
    dataDir: string;
  };
}

/**
 * The config `config` for implementation `impl`. Each implementation gets its own network name,
 * bridge and subnets, so that in the shared host namespace neither sees the other's bridge, IPAM
 * store or masquerade chains.
 */
export function bridgeNetConf(config: ConfigName, impl: ImplId, dataDir: string): BridgeNetConf {
  const octet = 40 + IMPL_IDS.indexOf(impl);
  const ranges = [[{ subnet: `10.${octet}.0.0/16` }]];
  if (config === 'dual-stack') ranges.push([{ subnet: `fd00:cb:${octet}::/64` }]);
  return {
    cniVersion: BENCH_CNI_VERSION,
    name: `cnkbench-${impl}`,
    type: 'bridge',
    // Bridge names must fit IFNAMSIZ (15 characters).
    bridge: `cnkb-${impl}`,
    isGateway: true,
    ipMasq: config === 'ipMasq',
    ipam: { type: 'host-local', ranges, dataDir },
  };
}

/** The config for CHECK and DEL: the ADD config plus the ADD result, as a runtime passes it. */
export function withPrevResult(conf: BridgeNetConf, prevResult: unknown): object {
  return prevResult === undefined ? conf : { ...conf, prevResult };
}
