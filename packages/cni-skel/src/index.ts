import * as z from 'zod/mini';

/** zod/mini, re-exported so plugins extend the skel's schemas with the very same zod. */
export { z };
export { CniError, ErrorCode, isCniError, toCniError } from './errors.js';
export type { CniErrorJson, CniErrorOptions, ErrorCodeName } from './errors.js';
export {
  ALL_VERSIONS,
  CURRENT_VERSION,
  DEFAULT_VERSION,
  compareVersions,
  isSpecVersion,
  parseVersion,
  resultFamily,
  versionAtLeast,
} from './versions.js';
export type { ResultFamily, SpecVersion, VersionTuple } from './versions.js';
export type {
  AnyResult,
  Dns,
  Interface,
  IpConfig,
  IpConfig020,
  Result,
  Result020,
  Result040,
  Route,
} from './result/types.js';
export { parseResult } from './result/parse.js';
export type { ParseResultOptions } from './result/parse.js';
export { convertResult } from './result/convert.js';
export { parseCniArgs } from './args.js';
export type { CniArgs } from './args.js';
export { validateContainerId, validateInterfaceName, validateNetworkName } from './validate.js';
export type { CniCommand } from './env.js';
export {
  argsSchema,
  attachmentSchema,
  bandwidthSchema,
  dnsSchema,
  ipamSchema,
  ipRangeSchema,
  netConfSchema,
  portMappingSchema,
  runtimeConfigSchema,
  runtimeDnsSchema,
  validAttachmentsSchema,
} from './schema.js';
export type {
  Attachment,
  Bandwidth,
  ConfArgs,
  IpamConf,
  IpRange,
  NetConf,
  NetConfDns,
  PortMapping,
  RuntimeConfig,
  RuntimeDns,
} from './schema.js';
export type { ConfigParser, ConfigSchema } from './config.js';
export { noopLogger, parseLogLevel } from './logger.js';
export type { LogFields, Logger, LogLevel, StepTimer } from './logger.js';
export { createFileLogger } from './file-logger.js';
export type { FileLoggerOptions } from './file-logger.js';
export { MAX_STDIN_BYTES, processIo } from './io.js';
export type { PluginIo, ReadSync, WriteSync } from './io.js';
export { bunIo } from './bun-io.js';
export type { BunIoOptions, BunStdio, SyncFileCalls } from './bun-io.js';
export { definePlugin } from './plugin.js';
export type { Plugin, PluginContext, PluginDefinition } from './plugin.js';
export { runPlugin } from './run.js';
