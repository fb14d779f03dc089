/**
 * ADD killed with SIGKILL at many points of its run, then DEL (as a runtime does after a failed
 * or timed-out ADD): DEL succeeds, a later ADD on the same bridge works, and nothing of the
 * killed attachment is left. The points are deterministic (just before and just after each
 * child process the plugin starts, through counting shims; see support/kill-switch.ts) plus a
 * few spread over the run in time, which also land between child processes.
 *
 * Every point runs on a fresh host, so a cold bridge is covered too; the host is compared after
 * the flow with a fresh host that ran one clean ADD and DEL.
 */
import { describe, expect, test } from 'vitest';
import {
  bridgeUnderTest,
  bridgeUnderTestPath,
  isRoot,
  NOT_ROOT_REASON,
  setupOrFailEach,
  type Residue,
} from '@cnikit-tools/test-utils';
import type { KillMode } from './support/kill-switch.js';
import {
  baselineOf,
  BUSY_IPTABLES,
  BUSY_NFTABLES,
  controlCycle,
  leftovers,
  NO_GATEWAY,
  referenceGate,
  withScene,
  type Setup,
} from './support/flows.js';
import { describeOutcome, type Outcome } from './support/scene.js';

/** Where a kill lands: at a child process (counted from 1), or after a delay. */
type KillPoint = { call: number; mode: KillMode } | { afterMs: number };

/** Fractions of a clean ADD's duration at which the time-spread kills land. */
const TIME_FRACTIONS = [0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95];

/** What a clean, counted ADD looks like: its child processes and how long it took. */
interface Calibration {
  calls: string[];
  durationMs: number;
}

async function calibrate(bridge: string, setup: Setup): Promise<Calibration> {
  return withScene(bridge, async (scene) => {
    const { ns, id } = await scene.container();
    const config = scene.config(setup.shape, setup.subnets);
    const started = performance.now();
    const add = await scene.run('ADD', { containerId: id, netns: ns.path, config });
    const durationMs = performance.now() - started;
    if (add.exitCode !== 0) throw new Error(`calibration ADD failed: ${describeOutcome(add)}`);
    return { calls: scene.killSwitch.calls(), durationMs };
  });
}

/**
 * Kills an ADD at `point` on a fresh host, then runs DEL, a control cycle, and compares the
 * host with the baseline. Returns the problems found (none is a pass).
 */
async function killThenDel(
  bridge: string,
  setup: Setup,
  baseline: Residue,
  point: KillPoint,
): Promise<string[]> {
  return withScene(bridge, async (scene) => {
    const { ns, id } = await scene.container();
    const config = scene.config(setup.shape, setup.subnets);
    const call = { containerId: id, netns: ns.path, config };
    const problems: string[] = [];

    let add: Outcome;
    if ('call' in point) {
      scene.killSwitch.arm(point.call, point.mode);
      add = await scene.run('ADD', call);
    } else {
      const running = scene.start('ADD', call);
      const timer = setTimeout(() => running.kill('SIGKILL'), point.afterMs);
      const r = await running;
      clearTimeout(timer);
      add = {
        exitCode: r.exitCode,
        signal: r.signal,
        stdout: String(r.stdout),
        stderr: String(r.stderr),
      };
    }
    // Children of the killed plugin finish first, as they would before a runtime's DEL.
    await scene.killSwitch.settle();
    scene.killSwitch.arm(0, 'before');
    if ('call' in point && add.signal !== 'SIGKILL')
      problems.push(`ADD was not killed: ${describeOutcome(add)}`);

    const del = await scene.run('DEL', call);
    if (del.exitCode !== 0 || del.stdout.trim() !== '')
      problems.push(`DEL: ${describeOutcome(del)}`);
    try {
      await controlCycle(scene, setup);
    } catch (err) {
      problems.push(`a later ADD/DEL on the same host: ${(err as Error).message}`);
    }
    problems.push(...(await leftovers(scene, baseline, [ns])));
    return problems;
  });
}

describe.skipIf(!isRoot)(
  `SIGKILL during ADD, then DEL: nothing left (${bridgeUnderTestPath()}) [${NOT_ROOT_REASON}]`,
  { timeout: 900_000 },
  () => {
    for (const setup of [NO_GATEWAY, BUSY_IPTABLES, BUSY_NFTABLES]) {
      const gate = referenceGate(setup.name, setup.referenceFails.kills);
      describe.skipIf(gate.skip)(gate.title, () => {
        let bridge: string;
        let baseline: Residue;
        let calibration: Calibration;
        setupOrFailEach(async () => {
          bridge = bridgeUnderTest();
          baseline = await baselineOf(bridge, setup);
          calibration = await calibrate(bridge, setup);
        }, 120_000);

        test('a clean ADD starts child processes to kill at', () => {
          expect(calibration.calls.length).toBeGreaterThan(0);
          // The baseline keeps the shared bridge and no container link or reservation.
          expect(baseline.hostLinks).toEqual([expect.stringMatching(/ \(bridge\)$/)]);
          expect(baseline.reservations).toEqual([]);
        });

        for (const mode of ['before', 'after'] as const) {
          test(`SIGKILL ${mode} each child process of ADD`, async () => {
            const failures: string[] = [];
            for (let call = 1; call <= calibration.calls.length; call++) {
              const problems = await killThenDel(bridge, setup, baseline, { call, mode });
              const label = `${mode} call ${calibration.calls[call - 1]}`;
              failures.push(...problems.map((p) => `${label}: ${p}`));
            }
            expect(failures).toEqual([]);
          });
        }

        test('SIGKILL at times spread over an ADD', async () => {
          const failures: string[] = [];
          for (const fraction of TIME_FRACTIONS) {
            const afterMs = Math.round(fraction * calibration.durationMs);
            const problems = await killThenDel(bridge, setup, baseline, { afterMs });
            failures.push(...problems.map((p) => `after ${afterMs} ms: ${p}`));
          }
          expect(failures).toEqual([]);
        });
      });
    }
  },
);
