/**
 * The bench run from the root namespace: validates the settings, makes the throwaway namespaces
 * (one fresh host per config, containers shared), starts the driver inside each host, then writes
 * the report. Namespaces and temporary files go away on success, failure and SIGINT/SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sandbox, isRoot, type Netns } from '@cnikit-tools/test-utils';
import { analyze } from './analyze.js';
import { GNU_TIME } from './driver/driver.js';
import type { DriverJob } from './driver/job.js';
import { BenchError, BenchErrorCode } from './errors.js';
import { fsProbe, resolveImplementations } from './implementations.js';
import { describeMachine } from './machine.js';
import { renderConsoleSummary, renderMarkdown } from './markdown.js';
import type { BenchRun, ConfigRun, ImplementationSpec } from './model.js';
import { readSettings, type BenchSettings } from './settings.js';
import { renderRatioChart } from './svg.js';

const DRIVER = fileURLToPath(new URL('./driver-main.js', import.meta.url));

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/** The paths of a written report. */
export interface ReportFiles {
  markdown: string;
  chart: string;
  data: string;
}

/** Cleans up once, whether the run ends, fails or is interrupted. */
class Teardown {
  private readonly hosts: Sandbox[] = [];
  readonly containers = new Sandbox();
  driver: ChildProcess | undefined;
  private done: Promise<void> | undefined;

  constructor(readonly workDir: string) {}

  track(host: Sandbox): Sandbox {
    this.hosts.push(host);
    return host;
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      if (this.driver && this.driver.exitCode === null) this.driver.kill('SIGTERM');
      for (const h of this.hosts) await h.cleanup();
      await this.containers.cleanup();
      rmSync(this.workDir, { recursive: true, force: true });
    })();
    return this.done;
  }
}

async function runDriver(host: Netns, job: DriverJob, teardown: Teardown): Promise<ConfigRun> {
  const jobFile = join(job.workDir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  // `ip netns exec`: the driver also gets a /sys of the host namespace (as the runtime on a real
  // host has), which the Node entry's port check reads.
  const child = spawn('ip', ['netns', 'exec', host.name, process.execPath, DRIVER, jobFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  teardown.driver = child;
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  teardown.driver = undefined;
  if (code !== 0)
    throw new BenchError(
      BenchErrorCode.DriverFailed,
      `the driver for ${job.config} exited ${code}`,
    );
  try {
    const run = JSON.parse(readFileSync(job.outputFile, 'utf8')) as ConfigRun;
    if (run.config !== job.config || !Array.isArray(run.failures))
      throw new Error('unexpected shape');
    return run;
  } catch (cause) {
    throw new BenchError(
      BenchErrorCode.DriverFailed,
      `no usable output from the ${job.config} driver`,
      {
        cause,
      },
    );
  }
}

async function measure(
  settings: BenchSettings,
  implementations: ImplementationSpec[],
  teardown: Teardown,
): Promise<ConfigRun[]> {
  const containers: Netns[] = [];
  for (let i = 0; i < Math.max(implementations.length, settings.concurrency); i++)
    containers.push(await teardown.containers.container());
  const runs: ConfigRun[] = [];
  for (const config of settings.configs) {
    const hostBox = teardown.track(new Sandbox());
    const host = await hostBox.host();
    const workDir = join(teardown.workDir, config);
    mkdirSync(workDir);
    log(`${config}: host namespace ${host.name}`);
    runs.push(
      await runDriver(
        host,
        {
          config,
          implementations,
          containerNetns: containers.map((c) => c.path),
          runs: settings.runs,
          concurrency: settings.concurrency,
          concurrencyTrials: settings.concurrencyTrials,
          resourceRuns: settings.resourceRuns,
          traceRuns: settings.traceRuns,
          cniPath: settings.cniPath,
          workDir,
          outputFile: join(workDir, 'result.json'),
        },
        teardown,
      ),
    );
    // A fresh host per config: nothing of one config's bridges or chains meets the next.
    await hostBox.cleanup();
  }
  return runs;
}

function writeReport(
  run: BenchRun,
  reportDir: string,
): { files: ReportFiles; summary: string; failures: number } {
  const analysis = analyze(run);
  const stamp = run.meta.startedAt.replace(/[:.]/g, '-').slice(0, 19);
  mkdirSync(reportDir, { recursive: true });
  const files = {
    markdown: join(reportDir, `bench-${stamp}.md`),
    chart: join(reportDir, `bench-${stamp}.svg`),
    data: join(reportDir, `bench-${stamp}.json`),
  };
  writeFileSync(files.chart, renderRatioChart(analysis));
  writeFileSync(files.markdown, renderMarkdown(analysis, `bench-${stamp}.svg`));
  writeFileSync(files.data, JSON.stringify(run, null, 2) + '\n');
  return { files, summary: renderConsoleSummary(analysis), failures: analysis.failures.length };
}

/** Runs the whole bench; resolves with the process exit code (1 when any call failed). */
export async function main(env: NodeJS.ProcessEnv, root: string): Promise<number> {
  if (!isRoot)
    throw new BenchError(
      BenchErrorCode.NotRoot,
      'the bench must run as root (it creates network namespaces)',
    );
  const settings = readSettings(env, root);
  const { implementations, skipped } = resolveImplementations(settings, process.execPath);
  if (settings.resourceRuns > 0 && !fsProbe.isExecutableFile(GNU_TIME))
    throw new BenchError(
      BenchErrorCode.MissingProgram,
      `${GNU_TIME} is missing (Debian package "time"; scripts/bootstrap.sh installs it), or set BENCH_RSS_RUNS=0`,
    );
  for (const s of skipped) log(`${s.label} skipped: ${s.reason}`);

  const startedAt = new Date();
  const teardown = new Teardown(mkdtempSync(join(tmpdir(), 'cnikit-bench-')));
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: removing the bench's namespaces and files`);
    void teardown.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const configs = await measure(settings, implementations, teardown);
    const run: BenchRun = {
      meta: {
        startedAt: startedAt.toISOString(),
        durationS: (Date.now() - startedAt.getTime()) / 1000,
        ...describeMachine(),
        runs: settings.runs,
        concurrency: settings.concurrency,
        concurrencyTrials: settings.concurrencyTrials,
        resourceRuns: settings.resourceRuns,
        traceRuns: settings.traceRuns,
      },
      implementations,
      skipped,
      configs,
    };
    const { files, summary, failures } = writeReport(run, settings.reportDir);
    process.stdout.write(
      `${summary}\n\nreport: ${files.markdown}\nchart:  ${files.chart}\ndata:   ${files.data}\n`,
    );
    if (failures > 0) log(`${failures} call(s) failed; the report lists them`);
    return failures > 0 ? 1 : 0;
  } finally {
    await teardown.run();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
