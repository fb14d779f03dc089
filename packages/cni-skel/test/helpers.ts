/** Shared fixtures of the skel tests: the checklist's default request and a recording stub plugin. */
import { expect } from 'vitest';
import {
  definePlugin,
  type NetConf,
  type Plugin,
  type PluginContext,
  type PluginDefinition,
  type Result,
} from '../src/index.js';
import type { InvokeOutcome } from '../src/testing.js';

export const ALL = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'];

/** The checklist's default stdin (cni-spec.md §8). */
export const DEFAULT_CONFIG = { cniVersion: '1.1.0', name: 'testnet', type: 'stub' };

/** The checklist's default env, with overrides (undefined removes a variable). */
export function env(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    CNI_COMMAND: 'ADD',
    CNI_CONTAINERID: 'ctr1',
    CNI_NETNS: '/var/run/netns/t1',
    CNI_IFNAME: 'eth0',
    CNI_PATH: '/opt/cni/bin',
    ...overrides,
  };
}

/** What the stub's ADD returns. */
export const STUB_RESULT: Result = {
  cniVersion: '1.1.0',
  interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/t1' }],
  ips: [{ address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 0 }],
};

/** A plugin whose handlers record their context; `calls` lists them in order. */
export function stubPlugin(overrides: Partial<PluginDefinition<NetConf>> = {}): {
  plugin: Plugin<NetConf>;
  calls: Array<PluginContext<NetConf>>;
} {
  const calls: Array<PluginContext<NetConf>> = [];
  const record = (ctx: PluginContext<NetConf>): void => {
    calls.push(ctx);
  };
  const plugin = definePlugin<NetConf>({
    name: 'stub',
    add: (ctx) => {
      record(ctx);
      return STUB_RESULT;
    },
    del: record,
    check: record,
    gc: record,
    status: record,
    ...overrides,
  });
  return { plugin, calls };
}

/** The checklist's "error(N)": exit 1, one JSON object with that code and a message, nothing else. */
export function expectCniError(outcome: InvokeOutcome, code: number): void {
  expect(outcome.exitCode).toBe(1);
  expect(outcome.error?.code).toBe(code);
  expect(typeof outcome.error?.msg).toBe('string');
  expect(outcome.error?.msg).not.toBe('');
  // Exactly one JSON document and a newline.
  expect(outcome.stdout.trimEnd().split('\n')).toHaveLength(1);
  expect(JSON.parse(outcome.stdout)).toEqual(outcome.error);
}
