/**
 * The driver: runs inside one config's host namespace and measures every implementation there,
 * taking turns call cycle by call cycle so that drift of the shared machine hits all
 * of them alike, in reverse order every other round (A B, B A, …) so that none always follows the
 * same one: a call inherits the kernel's deferred work of the call before it (a deleted veth's
 * cleanup, the namespace's RCU callbacks), and the heavier that is, the more it would count. Passes, in order: warm-up, timed serial rounds, concurrent trials, the
 * `/usr/bin/time` sampling pass and the trace pass; the last two never touch the timings.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigRun, ImplId, Op, ResourceSample } from '../model.js';
import { bridgeNetConf } from '../netconf.js';
import { callSync, succeeded, type CallSpec } from './call.js';
import type { DriverJob } from './job.js';
import { CALL_PATH, ImplSession } from './session.js';

/** GNU time (Debian package `time`), for peak RSS and CPU of the sampling pass. */
export const GNU_TIME = '/usr/bin/time';

function push<K extends string, V>(
  table: Partial<Record<ImplId, Partial<Record<K, V[]>>>>,
  impl: ImplId,
  key: K,
  value: V,
): void {
  const row: Partial<Record<K, V[]>> = (table[impl] ??= {});
  (row[key] ??= []).push(value);
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The format GNU time is given: peak RSS (KiB), user and sys seconds, minor page faults. */
export const TIME_FORMAT = '%M %U %S %R';

/** {@link TIME_FORMAT} as GNU time writes it last (a failed command adds a line before it). */
export function parseTimeOutput(text: string): ResourceSample | undefined {
  const last = text.trim().split('\n').pop() ?? '';
  const m = /^(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)(?: (\d+))?$/.exec(last.trim());
  if (!m) return undefined;
  const sample: ResourceSample = {
    rssKb: Number(m[1]),
    cpuMs: (Number(m[2]) + Number(m[3])) * 1000,
  };
  if (m[4] !== undefined) sample.minorFaults = Number(m[4]);
  return sample;
}

/** What every pass works with. */
interface Pass {
  job: DriverJob;
  run: ConfigRun;
  sessions: ImplSession[];
  log: (line: string) => void;
}

const active = (p: Pass) => p.sessions.filter((s) => s.active);

/** The order of turn `n`: as listed in even turns, reversed in odd ones. */
export function turnOrder<T>(items: readonly T[], n: number): T[] {
  return n % 2 === 0 ? [...items] : [...items].reverse();
}

/** One untimed cycle each: the first ADD creates the bridge and loads the program into memory. */
function warmUp(p: Pass): void {
  p.log(`[${p.job.config}] warm-up`);
  for (const s of p.sessions)
    s.cycle(`cnkbench-${s.spec.id}-w`, 'warm-up', (_op, spec) => callSync(spec));
}

/** The timed rounds: `true` (and `node -e 0`), then per implementation in turn VERSION and a cycle. */
function serialRounds(p: Pass): void {
  const { job, run } = p;
  const floor = (argv: string[]): CallSpec => ({
    argv,
    env: { PATH: CALL_PATH },
    stdinFile: p.sessions[0]!.versionConf,
  });
  const trueSpec = floor(['/bin/true']);
  const node = job.implementations.find((i) => i.id === 'node');
  const nodeSpec = node && floor([node.argv[0]!, '-e', '0']);
  for (let round = 0; round < job.runs; round++) {
    p.log(`[${job.config}] serial round ${round + 1}/${job.runs}`);
    run.launchOverheadMs.push(callSync(trueSpec).ms);
    if (nodeSpec) run.nodeStartupMs.push(callSync(nodeSpec).ms);
    for (const s of turnOrder(active(p), round)) {
      const version = callSync(s.versionSpec());
      if (succeeded(version)) push(run.calls, s.spec.id, 'VERSION', version.ms);
      s.cycle(`cnkbench-${s.spec.id}-r${round}`, `round ${round + 1}`, (op, spec) => {
        const outcome = callSync(spec);
        if (succeeded(outcome)) push(run.calls, s.spec.id, op, outcome.ms);
        return outcome;
      });
    }
  }
}

/** Concurrent ADDs then DELs, implementations taking turns trial by trial. */
async function concurrentTrials(p: Pass): Promise<void> {
  const { job, run } = p;
  if (job.concurrency === 0) return;
  const netns = job.containerNetns.slice(0, job.concurrency);
  for (let trial = 0; trial < job.concurrencyTrials; trial++) {
    p.log(`[${job.config}] ${job.concurrency} concurrent ADDs and DELs, trial ${trial + 1}`);
    for (const s of turnOrder(active(p), trial)) {
      const times = await s.concurrentTrial(netns, trial);
      const row = (run.concurrency[s.spec.id] ??= { add: [], del: [] });
      if (times.add !== undefined) row.add.push(times.add);
      if (times.del !== undefined) row.del.push(times.del);
    }
  }
}

/** VERSION and a cycle under GNU time: peak RSS and CPU, apart from the timed calls. */
function resourcePass(p: Pass): void {
  for (let i = 0; i < p.job.resourceRuns; i++) {
    p.log(`[${p.job.config}] peak RSS pass ${i + 1}/${p.job.resourceRuns}`);
    for (const s of active(p)) {
      const measure = (op: Op, spec: CallSpec) => {
        const out = s.file(`time-${op}-${i}.txt`);
        const outcome = callSync({
          ...spec,
          argv: [GNU_TIME, '-f', TIME_FORMAT, '-o', out, '--', ...spec.argv],
        });
        const sample = parseTimeOutput(readOrEmpty(out));
        if (succeeded(outcome) && sample) push(p.run.resources, s.spec.id, op, sample);
        return outcome;
      };
      measure('VERSION', s.versionSpec());
      s.cycle(`cnkbench-${s.spec.id}-m${i}`, 'RSS pass', measure);
    }
  }
}

/** Cycles of the traced implementations with CNI_LOG_FILE set, one file per call. */
function tracePass(p: Pass): void {
  const traced = () => active(p).filter((s) => s.spec.traced);
  for (let i = 0; i < p.job.traceRuns && traced().length > 0; i++) {
    p.log(`[${p.job.config}] trace pass ${i + 1}/${p.job.traceRuns}`);
    for (const s of traced()) {
      s.cycle(`cnkbench-${s.spec.id}-t${i}`, 'trace pass', (op, spec) => {
        const file = s.file(`trace-${op}-${i}.log`);
        rmSync(file, { force: true });
        const env = { ...spec.env, CNI_LOG_FILE: file, CNI_LOG_LEVEL: 'debug' };
        const outcome = callSync({ ...spec, env });
        if (succeeded(outcome)) push(p.run.traces, s.spec.id, op, readOrEmpty(file));
        return outcome;
      });
    }
  }
}

/** Measures one config as the job says; progress goes to `log`. */
export async function runJob(job: DriverJob, log: (line: string) => void): Promise<ConfigRun> {
  const run: ConfigRun = {
    config: job.config,
    launchOverheadMs: [],
    nodeStartupMs: [],
    calls: {},
    concurrency: {},
    resources: {},
    traces: {},
    failures: [],
  };
  const ipamDir = join(job.workDir, 'ipam');
  // Each implementation has its own namespace for serial cycles: what one leaves cannot fail another.
  const sessions = job.implementations.map(
    (spec, i) =>
      new ImplSession(
        spec,
        bridgeNetConf(job.config, spec.id, ipamDir),
        job.containerNetns[i]!,
        job.workDir,
        job.cniPath,
        (f) => run.failures.push(f),
      ),
  );
  const pass: Pass = { job, run, sessions, log };
  warmUp(pass);
  serialRounds(pass);
  await concurrentTrials(pass);
  resourcePass(pass);
  tracePass(pass);
  return run;
}
