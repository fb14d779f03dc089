export { passthroughConfSchema, passthroughPlugin } from './plugin.js';
export type { PassthroughConf } from './plugin.js';
