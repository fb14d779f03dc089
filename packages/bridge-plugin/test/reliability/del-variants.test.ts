/**
 * DEL must succeed and clean up whatever state the attachment is in (cni-spec.md "DEL"):
 * repeated, for a container never added, without a netns (CNI_NETNS empty), with the netns
 * gone, and after a failed ADD (a runtime always calls DEL after ADD, even a failed one).
 * Each scenario runs on a fresh host that first made and removed one attachment, so shared
 * scaffolding exists; afterwards the host must be exactly as it was then.
 *
 * Scenarios the reference 1.1.1 is known to fail with a setup (support/flows.ts says why) are
 * ours-only when the binary under test is the reference.
 */
import { describe, expect, test } from 'vitest';
import {
  bridgeUnderTest,
  bridgeUnderTestPath,
  deleteNetns,
  FakeBinDir,
  isRoot,
  mustExecIn,
  NOT_ROOT_REASON,
  type Netns,
} from '@cnikit-tools/test-utils';
import {
  BUSY_IPTABLES,
  BUSY_NFTABLES,
  controlCycle,
  leftovers,
  PLAIN,
  referenceGate,
  withScene,
  type ReferenceFailures,
  type Setup,
} from './support/flows.js';
import { BRIDGE, describeOutcome, type Outcome, type Scene } from './support/scene.js';

/** A scenario: what it does to one container; returns the problems it saw (none is a pass). */
interface Scenario {
  title: string;
  /** The family of known reference failures it belongs to, if any. */
  family?: keyof ReferenceFailures;
  run(scene: Scene, setup: Setup, c: { ns: Netns; id: string }): Promise<string[]>;
}

/** DEL must exit 0 with nothing on stdout. */
function delProblems(label: string, del: Outcome): string[] {
  return del.exitCode === 0 && del.stdout.trim() === ''
    ? []
    : [`${label}: ${describeOutcome(del)}`];
}

/** ADD must succeed; returns its result for DEL's prevResult. */
async function addOk(scene: Scene, config: Record<string, unknown>, c: { ns: Netns; id: string }) {
  const add = await scene.run('ADD', { containerId: c.id, netns: c.ns.path, config });
  if (add.exitCode !== 0) throw new Error(`ADD failed: ${describeOutcome(add)}`);
  return JSON.parse(add.stdout) as unknown;
}

/** ADD must fail with a CNI error on stdout. */
function failedAddProblems(add: Outcome): string[] {
  const json = (() => {
    try {
      return JSON.parse(add.stdout) as { code?: unknown };
    } catch {
      return {};
    }
  })();
  return add.exitCode !== 0 && typeof json.code === 'number'
    ? []
    : [`ADD should fail with a CNI error: ${describeOutcome(add)}`];
}

const SCENARIOS: Scenario[] = [
  {
    title: 'DEL three times after ADD (prevResult on the first only, as libcni sends it)',
    async run(scene, setup, c) {
      const config = scene.config(setup.shape, setup.subnets);
      const prevResult = await addOk(scene, config, c);
      const problems: string[] = [];
      for (const [i, conf] of [{ ...config, prevResult }, config, config].entries()) {
        const del = await scene.run('DEL', { containerId: c.id, netns: c.ns.path, config: conf });
        problems.push(...delProblems(`DEL #${i + 1}`, del));
      }
      return problems;
    },
  },
  {
    title: 'DEL of a container never added, twice',
    async run(scene, setup, c) {
      const config = scene.config(setup.shape, setup.subnets);
      const problems: string[] = [];
      for (const i of [1, 2]) {
        const del = await scene.run('DEL', { containerId: c.id, netns: c.ns.path, config });
        problems.push(...delProblems(`DEL #${i}`, del));
      }
      return problems;
    },
  },
  {
    title: 'DEL without netns (CNI_NETNS empty) once the netns is gone, twice',
    family: 'delWithoutNetns',
    async run(scene, setup, c) {
      const config = scene.config(setup.shape, setup.subnets);
      const prevResult = await addOk(scene, config, c);
      await deleteNetns(c.ns);
      const first = await scene.run('DEL', {
        containerId: c.id,
        netns: '',
        config: { ...config, prevResult },
      });
      const second = await scene.run('DEL', { containerId: c.id, netns: '', config });
      return [...delProblems('DEL #1', first), ...delProblems('DEL #2', second)];
    },
  },
  {
    title: 'DEL without netns while the netns still exists, then the runtime removes the netns',
    family: 'delWithoutNetns',
    async run(scene, setup, c) {
      const config = scene.config(setup.shape, setup.subnets);
      const prevResult = await addOk(scene, config, c);
      const del = await scene.run('DEL', {
        containerId: c.id,
        netns: '',
        config: { ...config, prevResult },
      });
      await deleteNetns(c.ns);
      return delProblems('DEL', del);
    },
  },
  {
    title: 'DEL with the netns gone (its path no longer exists), twice',
    family: 'delWithoutNetns',
    async run(scene, setup, c) {
      const config = scene.config(setup.shape, setup.subnets);
      const prevResult = await addOk(scene, config, c);
      await deleteNetns(c.ns);
      const first = await scene.run('DEL', {
        containerId: c.id,
        netns: c.ns.path,
        config: { ...config, prevResult },
      });
      const second = await scene.run('DEL', { containerId: c.id, netns: c.ns.path, config });
      return [...delProblems('DEL #1', first), ...delProblems('DEL #2', second)];
    },
  },
  {
    title: 'DEL after ADD failed in IPAM',
    async run(scene, setup, c) {
      const fake = new FakeBinDir('cnikit-reliab-ipam-');
      try {
        fake.add(
          'cnk-fail-ipam',
          `cat >/dev/null
if [ "$CNI_COMMAND" = ADD ]; then printf '{"code":11,"msg":"no address today"}'; exit 1; fi
exit 0`,
        );
        const config = setup.shape({ type: 'cnk-fail-ipam' });
        const call = {
          containerId: c.id,
          netns: c.ns.path,
          config,
          cniPath: `${fake.dir}:${scene.killSwitch.cniPath}`,
        };
        const add = await scene.run('ADD', call);
        const del = await scene.run('DEL', call);
        return [...failedAddProblems(add), ...delProblems('DEL', del)];
      } finally {
        fake.cleanup();
      }
    },
  },
  {
    title: 'DEL after ADD failed on a bridge address conflict (no forceAddress)',
    family: 'delAfterConfiguredFailure',
    async run(scene, setup, c) {
      await mustExecIn(scene.host, ['ip', 'addr', 'flush', 'dev', BRIDGE]);
      await mustExecIn(scene.host, ['ip', 'addr', 'add', '10.99.0.1/16', 'dev', BRIDGE]);
      const config = scene.config(setup.shape, setup.subnets);
      const call = { containerId: c.id, netns: c.ns.path, config };
      const add = await scene.run('ADD', call);
      const del = await scene.run('DEL', call);
      return [...failedAddProblems(add), ...delProblems('DEL', del)];
    },
  },
  {
    title: 'DEL after ADD failed because the netns vanished',
    async run(scene, setup, c) {
      await deleteNetns(c.ns);
      const config = scene.config(setup.shape, setup.subnets);
      const call = { containerId: c.id, netns: c.ns.path, config };
      const add = await scene.run('ADD', call);
      const del = await scene.run('DEL', call);
      return [...failedAddProblems(add), ...delProblems('DEL', del)];
    },
  },
];

describe.skipIf(!isRoot)(
  `DEL in every state: succeeds and cleans up (${bridgeUnderTestPath()}) [${NOT_ROOT_REASON}]`,
  { timeout: 180_000 },
  () => {
    for (const setup of [PLAIN, BUSY_IPTABLES, BUSY_NFTABLES]) {
      describe(setup.name, () => {
        for (const scenario of SCENARIOS) {
          const gate = referenceGate(
            scenario.title,
            scenario.family && setup.referenceFails[scenario.family],
          );
          test.skipIf(gate.skip)(gate.title, async () => {
            const bridge = bridgeUnderTest();
            const problems = await withScene(bridge, async (scene) => {
              await controlCycle(scene, setup);
              const baseline = await scene.residue();
              const c = await scene.container();
              const seen = await scenario.run(scene, setup, c);
              return [...seen, ...(await leftovers(scene, baseline, [c.ns]))];
            });
            expect(problems).toEqual([]);
          });
        }
      });
    }
  },
);
