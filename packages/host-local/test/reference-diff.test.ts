/**
 * Differential test against Debian's host-local 1.1.1: the same sequence of calls on two fresh
 * stores, one served by the reference and one by ours (the single executable, compiled from the
 * sources as the build does, so the ffi lock and Bun io are exercised too). Results, error texts and the store files must match.
 * Deliberate differences, documented in the README: ours omits an empty `dns`, adds `cniVersion`
 * to errors, and uses code 7 (config) or 4 (CNI_ARGS) where the reference says 999.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cniEnv,
  netConf,
  compileExecutable,
  referenceAvailable,
  runExecutable,
  runReference,
  storeSnapshot,
  tempDir,
  type ExecOutcome,
} from './helpers.js';

interface Step {
  command: 'ADD' | 'DEL' | 'CHECK';
  id: string;
  ifName?: string;
  args?: string;
  /** Top-level keys beside ipam (runtimeConfig, args). */
  extra?: Record<string, unknown>;
  /** Replaces the scenario's ipam section for this step. */
  ipam?: Record<string, unknown>;
}

interface Scenario {
  name: string;
  version?: string;
  ipam: Record<string, unknown>;
  steps: Step[];
  /** Files to put into both stores first. */
  seed?: Record<string, string>;
}

const add = (id: string, more: Partial<Step> = {}): Step => ({ command: 'ADD', id, ...more });
const del = (id: string, more: Partial<Step> = {}): Step => ({ command: 'DEL', id, ...more });
const check = (id: string, more: Partial<Step> = {}): Step => ({ command: 'CHECK', id, ...more });

const dualStack = {
  ranges: [
    [
      {
        subnet: '10.9.0.0/24',
        rangeStart: '10.9.0.10',
        rangeEnd: '10.9.0.20',
        gateway: '10.9.0.12',
      },
    ],
    [{ subnet: 'fd00::/120', rangeStart: 'fd00::fc' }],
  ],
  routes: [
    { dst: '0.0.0.0/0' },
    { dst: '::/0', gw: 'fd00::1' },
    { dst: '192.168.0.0/16', gw: '10.9.0.1' },
  ],
};

const scenarios: Scenario[] = [
  {
    name: 'a small IPv4 range: order, exhaustion, round-robin, duplicates, DEL, CHECK',
    ipam: { subnet: '10.9.0.0/29', routes: [{ dst: '0.0.0.0/0' }] },
    steps: [
      ...['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id) => add(id)),
      del('c2'),
      del('c2'),
      add('c7'),
      add('c1'),
      add('c1', { ifName: 'eth1' }),
      check('c1'),
      check('c1', { ifName: 'eth9' }),
      check('nobody'),
      del('c3'),
      del('c4'),
      add('c8'),
      add('c9'),
    ],
  },
  {
    name: 'dual stack with a gateway inside the range and the v6 range running out',
    ipam: dualStack,
    steps: [add('d1'), add('d2'), add('d3'), add('d4'), add('d5'), add('d6'), del('d1'), add('d7')],
  },
  {
    name: 'requested addresses from CNI_ARGS, args.cni.ips and runtimeConfig.ips',
    ipam: dualStack,
    steps: [
      add('r1', { args: 'IP=10.9.0.15' }),
      add('r2', { args: 'IP=10.9.0.15' }),
      add('r3', { args: 'IP=10.9.0.12' }),
      add('r4', { args: 'IP=10.9.0.5' }),
      add('r5', { args: 'IgnoreUnknown=1;K8S_POD_NAME=x;IP=10.9.0.16/24' }),
      add('r6', { extra: { args: { cni: { ips: ['10.9.0.18', 'fd00::fd'] } } } }),
      add('r7', { extra: { runtimeConfig: { ips: ['10.9.0.19/24'] } } }),
      add('r8', { extra: { runtimeConfig: { ips: ['FD00::FE'] } } }),
      add('r9', { args: 'IP=::ffff:10.9.0.11' }),
      add('r10', { args: 'IP=bogus' }),
      add('r11', { args: 'FOO=1' }),
      add('r12', { args: 'A' }),
    ],
  },
  {
    name: 'range sets in reference order: ipRanges, then the legacy range, then ranges',
    ipam: { subnet: '10.9.0.0/24', ranges: [[{ subnet: '10.10.0.0/24' }]] },
    steps: [
      add('o1', { extra: { runtimeConfig: { ipRanges: [[{ subnet: '10.20.0.0/24' }]] } } }),
      add('o2'),
      del('o1'),
      add('o3'),
    ],
  },
  {
    name: 'several ranges in one set wrap into each other',
    ipam: {
      ranges: [
        [
          { subnet: '10.9.0.0/24', rangeStart: '10.9.0.10', rangeEnd: '10.9.0.11' },
          {
            subnet: '10.9.1.0/24',
            rangeStart: '10.9.1.20',
            rangeEnd: '10.9.1.21',
            gateway: '10.9.1.21',
          },
        ],
      ],
    },
    steps: [add('w1'), add('w2'), add('w3'), add('w4'), del('w1'), add('w5'), del('w2'), add('w6')],
  },
  {
    name: 'older result versions',
    version: '0.2.0',
    ipam: {
      ranges: [[{ subnet: '10.9.0.0/24' }], [{ subnet: 'fd00::/64' }]],
      routes: [{ dst: '0.0.0.0/0' }],
    },
    steps: [
      add('v1'),
      add('v2', { ipam: { ranges: [[{ subnet: '10.9.0.0/24' }], [{ subnet: '10.10.0.0/24' }]] } }),
    ],
  },
  {
    name: 'spec 0.3.1 and 0.4.0 results',
    version: '0.4.0',
    ipam: { ranges: [[{ subnet: '10.9.0.0/24' }], [{ subnet: '10.10.0.0/24' }]] },
    steps: [add('v1'), check('v1'), del('v1'), check('v1')],
  },
  {
    name: 'legacy reservations (container ID only) are released by DEL and count for CHECK',
    ipam: { subnet: '10.9.0.0/24' },
    seed: { '10.9.0.7': 'old-one', '10.9.0.8': 'old-two' },
    steps: [check('old-one'), del('old-one', { ifName: 'eth3' }), add('n1'), check('old-one')],
  },
  {
    name: 'invalid configurations',
    ipam: { subnet: '10.9.0.0/24' },
    steps: [
      { subnet: '10.9.0.0/31' },
      { subnet: '10.9.0.5/24' },
      { subnet: 'banana' },
      { subnet: '10.9.0.0/24', gateway: 'xx' },
      { subnet: '10.9.0.0/24', rangeStart: '10.9.1.1' },
      { subnet: '10.9.0.0/24', rangeStart: '10.9.0.50', rangeEnd: '10.9.0.10' },
      { subnet: '10.9.0.0/24', rangeEnd: 'fd00::3' },
      { ranges: [] },
      { ranges: [[]] },
      { ranges: [[{ subnet: '10.9.0.0/24' }, { subnet: 'fd00::/64' }]] },
      { ranges: [[{ subnet: '10.9.0.0/24' }, { subnet: '10.9.0.0/25' }]] },
      { subnet: '10.9.0.0/24', ranges: [[{ subnet: '10.9.0.0/25' }]] },
      { subnet: '10.9.0.0/24', routes: [{ dst: 'bad' }] },
      { subnet: '::ffff:10.9.0.0/120' },
      { subnet: '10.9.0.0/24', resolvConf: '/nonexistent/resolv.conf' },
      {},
    ].map((ipam) => add('bad', { ipam })),
  },
];

/** Result JSON with the empty `dns` the reference always prints removed. */
function normalizeResult(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return json;
  const { dns, ...rest } = json as Record<string, unknown>;
  return dns && Object.keys(dns).length > 0 ? { ...rest, dns } : rest;
}

function compareOutcome(step: string, ours: ExecOutcome, ref: ExecOutcome): void {
  expect(ours.code === 0, `${step}: success`).toBe(ref.code === 0);
  if (ref.code === 0) {
    expect(normalizeResult(ours.json), `${step}: result`).toEqual(normalizeResult(ref.json));
    return;
  }
  const mine = ours.json as { code: number; msg: string };
  const theirs = ref.json as { code: number; msg: string };
  expect(mine.msg, `${step}: error text`).toBe(theirs.msg);
  // Where the reference is untyped (999), ours names the config (7) or CNI_ARGS (4).
  const codes = theirs.code === 999 ? [999, 7, 4] : [theirs.code];
  expect(codes, `${step}: error code ${mine.code}`).toContain(mine.code);
}

describe.skipIf(!referenceAvailable)(
  'differential: ours and Debian host-local 1.1.1 on the same calls',
  () => {
    const build = tempDir('hl-exe-');
    let executable: string;
    beforeAll(async () => {
      executable = await compileExecutable(build.dir);
    });
    afterAll(() => build.cleanup());
    let tmp: ReturnType<typeof tempDir>;
    beforeEach(() => {
      tmp = tempDir('hl-diff-');
    });
    afterEach(() => tmp.cleanup());

    it.each(scenarios)('$name', async (scenario) => {
      const dirs = { ours: join(tmp.dir, 'ours'), ref: join(tmp.dir, 'ref') };
      for (const dir of Object.values(dirs)) {
        mkdirSync(join(dir, 'net1'), { recursive: true });
        for (const [file, content] of Object.entries(scenario.seed ?? {}))
          writeFileSync(join(dir, 'net1', file), content);
      }
      for (const [i, step] of scenario.steps.entries()) {
        const env = cniEnv(step.command, step.id, step.ifName ?? 'eth0', step.args ?? '');
        const stdin = (dataDir: string) =>
          netConf(
            { dataDir, ...(step.ipam ?? scenario.ipam) },
            step.extra,
            scenario.version ?? '1.0.0',
          );
        const ref = await runReference(env, stdin(dirs.ref));
        const ours = await runExecutable([executable], env, stdin(dirs.ours));
        compareOutcome(`step ${i} ${step.command} ${step.id}`, ours, ref);
      }
      expect(storeSnapshot(join(dirs.ours, 'net1'))).toEqual(storeSnapshot(join(dirs.ref, 'net1')));
    });
  },
);
