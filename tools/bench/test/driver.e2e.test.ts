// The driver's effectful half against the real kernel: the reference plugin, run in a throwaway
// host namespace through nsenter (here the test process itself stays in the root namespace).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FakeBinDir,
  NOT_ROOT_REASON,
  Sandbox,
  isRoot,
  mustExecIn,
  type Netns,
} from '@cnikit-tools/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../src/driver/driver.js';
import type { DriverJob } from '../src/driver/job.js';
import type { ImplementationSpec } from '../src/model.js';

const REFERENCE = '/usr/lib/cni/bridge';

describe.skipIf(!isRoot)(`driver against the reference plugin (${NOT_ROOT_REASON})`, () => {
  const sandbox = new Sandbox();
  const fakes = new FakeBinDir('cnikit-bench-fake-');
  let host: Netns;
  let containers: Netns[];
  let workDir: string;

  beforeAll(async () => {
    host = await sandbox.host();
    containers = [await sandbox.container(), await sandbox.container()];
    workDir = mkdtempSync(join(tmpdir(), 'cnikit-bench-test-'));
  });

  afterAll(async () => {
    await sandbox.cleanup();
    fakes.cleanup();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const inHost = (
    id: ImplementationSpec['id'],
    program: string,
    traced: boolean,
  ): ImplementationSpec => ({
    id,
    label: id,
    argv: ['/usr/bin/nsenter', `--net=${host.path}`, '--', program],
    traced,
  });

  it('times every pass, gives CHECK and DEL the prevResult, and leaves no container behind', async () => {
    const job: DriverJob = {
      config: 'ipMasq',
      // "ours" is the reference too: the test is about the driver, not about our plugin.
      implementations: [inHost('ref', REFERENCE, false), inHost('ours', REFERENCE, true)],
      containerNetns: containers.map((c) => c.path),
      runs: 2,
      concurrency: 2,
      concurrencyTrials: 1,
      resourceRuns: 1,
      traceRuns: 1,
      cniPath: '/usr/lib/cni',
      workDir,
      outputFile: join(workDir, 'out.json'),
    };
    const run = await runJob(job, () => {});

    expect(run.failures).toEqual([]);
    for (const impl of ['ref', 'ours'] as const) {
      for (const op of ['VERSION', 'ADD', 'CHECK', 'DEL'] as const)
        expect(run.calls[impl]?.[op]).toHaveLength(2);
      expect(run.concurrency[impl]?.add).toHaveLength(1);
      expect(run.concurrency[impl]?.del).toHaveLength(1);
      expect(run.resources[impl]?.ADD?.[0]?.rssKb).toBeGreaterThan(0);
      // A process faults in at least its stack and the pages of its code it runs.
      expect(run.resources[impl]?.ADD?.[0]?.minorFaults).toBeGreaterThan(0);
    }
    expect(run.launchOverheadMs).toHaveLength(2);
    expect(run.nodeStartupMs).toEqual([]);
    // Only traced implementations are traced; the reference writes no trace lines.
    expect(run.traces.ref).toBeUndefined();
    expect(run.traces.ours?.ADD).toEqual(['']);

    // Every DEL ran: no container keeps an eth0, no masquerade chain is left in the host.
    for (const c of containers)
      expect(await mustExecIn(c, ['ip', '-o', 'link', 'show'])).not.toContain('eth0');
    expect(await mustExecIn(host, ['iptables', '-t', 'nat', '-S'])).not.toMatch(/-N CNI-/);
  });

  it('records a failing implementation, cleans up after it and gives up after three cycles', async () => {
    // Fails every command, after leaving an eth0 behind in the container like a half-done ADD.
    const broken = fakes.add(
      'broken-bridge',
      'nsenter --net="$CNI_NETNS" ip link add eth0 type dummy 2>/dev/null\n' +
        'echo \'{"code":999,"msg":"broken on purpose"}\'; exit 1',
    );
    const job: DriverJob = {
      config: 'basic',
      implementations: [inHost('ours', broken, false)],
      containerNetns: [containers[0]!.path],
      runs: 5,
      concurrency: 0,
      concurrencyTrials: 1,
      resourceRuns: 0,
      traceRuns: 0,
      cniPath: '/usr/lib/cni',
      workDir,
      outputFile: join(workDir, 'out2.json'),
    };
    const run = await runJob(job, () => {});
    expect(run.calls.ours?.ADD).toBeUndefined();
    const adds = run.failures.filter((f) => f.op === 'ADD');
    // warm-up and two rounds fail, then the driver stops calling it.
    expect(adds.map((f) => f.phase)).toEqual(['warm-up', 'round 1', 'round 2', 'round 2']);
    expect(adds[0]?.message).toBe('code 999: broken on purpose');
    expect(adds.at(-1)?.message).toContain('gave up');
    expect(await mustExecIn(containers[0]!, ['ip', '-o', 'link', 'show'])).not.toContain('eth0');
  });
});
