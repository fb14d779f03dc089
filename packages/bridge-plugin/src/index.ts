export { createBridgePlugin, BRIDGE_PLUGIN_VERSION } from './plugin.js';
export type { BridgePluginOptions } from './plugin.js';
export type { BridgeRuntime, PortState } from './runtime/runtime.js';
export { nodeRuntime } from './runtime/node-runtime.js';
export { loadNetConf, DEFAULT_BRIDGE } from './config/netconf.js';
export type { BridgeConf, ValidAttachment } from './config/netconf.js';
export { collectVlanTrunk } from './config/vlan.js';
export type { VlanTrunk } from './config/vlan.js';
export { BridgeError, BridgeConfigError } from './errors.js';
