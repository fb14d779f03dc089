/**
 * Fuzzing the CNI_* environment through the whole skel: every environment ends in the outcome the
 * Go skel's table gives (reference-bridge.md §5.2), computed here by an independent model.
 */
import { statSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePlugin, type NetConf, type PluginContext } from '../../src/index.js';
import { invokePlugin } from '../../src/testing.js';
import { CNI_VARS, cniEnv, nearValidEnv } from './arbitraries.js';
import { checkCniOutcome as checkOutcome } from '@cnikit-tools/test-utils';

const COMMANDS = ['ADD', 'DEL', 'CHECK', 'GC', 'STATUS'];
const ATTACHMENT = ['ADD', 'CHECK', 'DEL'];
const REQUIRED_FOR: Record<string, readonly string[]> = {
  CNI_CONTAINERID: ATTACHMENT,
  CNI_NETNS: ['ADD', 'CHECK'],
  CNI_IFNAME: ATTACHMENT,
  CNI_PATH: COMMANDS,
};
const CONFIG = { cniVersion: '1.1.0', name: 'fuzznet', type: 'stub' };

type Expected =
  | { kind: 'about' }
  | { kind: 'version' }
  | { kind: 'handled'; command: string }
  | { kind: 'error'; code: number; msg?: string };

const GO_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function ifNameValid(name: string): boolean {
  return (
    new TextEncoder().encode(name).length <= 15 &&
    name !== '.' &&
    name !== '..' &&
    !/[/:\p{White_Space}]/u.test(name)
  );
}

function nsIdentity(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}
const OWN_NETNS = nsIdentity('/proc/self/ns/net');

/** The Go skel's answer for `env` with a valid config on stdin and a plugin that has every handler. */
function model(env: Readonly<Record<string, string>>): Expected {
  const command = env.CNI_COMMAND ?? '';
  const missing: string[] = [];
  let invalid = false;
  for (const name of CNI_VARS) {
    const value = env[name] ?? '';
    const required = name === 'CNI_COMMAND' || (REQUIRED_FOR[name] ?? []).includes(command);
    if (!required) continue;
    if (value === '') missing.push(name);
    else if (name === 'CNI_CONTAINERID' && !GO_NAME.test(value)) invalid = true;
    else if (name === 'CNI_IFNAME' && !ifNameValid(value)) invalid = true;
    if (invalid) break; // validation fails at once, before later variables are looked at
  }
  if (invalid || missing.length > 0) {
    if (command === '') return { kind: 'about' };
    return invalid
      ? { kind: 'error', code: 4 }
      : { kind: 'error', code: 4, msg: `required env variables [${missing.join(',')}] missing` };
  }
  if (command === 'VERSION') return { kind: 'version' };
  if (!COMMANDS.includes(command))
    return { kind: 'error', code: 4, msg: `unknown CNI_COMMAND: ${command}` };
  const override = env.CNI_NETNS_OVERRIDE ?? '';
  const overridden = override === '1' || override.toLowerCase() === 'true';
  const netns = env.CNI_NETNS ?? '';
  if ((command === 'ADD' || command === 'DEL') && !overridden && netns !== '') {
    if (OWN_NETNS !== undefined && nsIdentity(netns) === OWN_NETNS)
      return { kind: 'error', code: 8 };
  }
  return { kind: 'handled', command };
}

function recordingPlugin() {
  const calls: Array<PluginContext<NetConf>> = [];
  const record = (ctx: PluginContext<NetConf>): void => {
    calls.push(ctx);
  };
  const plugin = definePlugin<NetConf>({
    name: 'stub',
    about: 'stub plugin',
    add: (ctx) => {
      record(ctx);
      return { cniVersion: '1.1.0', interfaces: [{ name: 'eth0' }] };
    },
    del: record,
    check: record,
    gc: record,
    status: record,
  });
  return { plugin, calls };
}

describe('fuzzing the environment through the skel', () => {
  it('every environment gets the Go skel outcome, as one well-formed answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(cniEnv, nearValidEnv), async (env) => {
        const { plugin, calls } = recordingPlugin();
        const out = await invokePlugin(plugin, { env, stdin: CONFIG });
        const error = checkOutcome(out);
        const want = model(env);
        switch (want.kind) {
          case 'about':
            expect(out.exitCode).toBe(0);
            expect(out.stdout).toBe('');
            expect(out.stderr).toContain('stub plugin');
            break;
          case 'version':
            expect(out.exitCode).toBe(0);
            expect(out.result).toMatchObject({ cniVersion: '1.1.0' });
            break;
          case 'handled':
            expect(error).toBeUndefined();
            expect(calls.map((c) => c.command)).toEqual([want.command]);
            expect(calls[0]?.containerId).toBe(env.CNI_CONTAINERID ?? '');
            expect(calls[0]?.ifName).toBe(env.CNI_IFNAME ?? '');
            expect(calls[0]?.args.raw).toBe(env.CNI_ARGS ?? '');
            break;
          case 'error':
            expect(error?.code).toBe(want.code);
            if (want.msg !== undefined) expect(error?.msg).toBe(want.msg);
            expect(calls).toEqual([]);
            break;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the lenient CNI_ARGS map only holds well-formed pairs, whatever CNI_ARGS is', async () => {
    await fc.assert(
      fc.asyncProperty(cniEnv, async (generated) => {
        const env: Record<string, string> = {
          ...generated,
          CNI_COMMAND: 'DEL',
          CNI_CONTAINERID: 'c1',
          CNI_IFNAME: 'eth0',
          CNI_PATH: '/opt/cni/bin',
          CNI_NETNS: '',
        };
        const { plugin, calls } = recordingPlugin();
        const out = await invokePlugin(plugin, { env, stdin: CONFIG });
        expect(checkOutcome(out)).toBeUndefined();
        const values = calls[0]?.args.values ?? {};
        for (const [key, value] of Object.entries(values)) {
          expect(key).not.toBe('');
          expect(key).not.toMatch(/[;=]/);
          expect(value).not.toContain(';');
          expect((env.CNI_ARGS ?? '').split(';')).toContain(`${key}=${value}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
