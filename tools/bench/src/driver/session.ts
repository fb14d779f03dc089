/** One implementation's calls in one config: its config files, its cycles and its failures. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cniEnv } from '@cnikit-tools/test-utils';
import type { CallFailure, ImplementationSpec, Op } from '../model.js';
import { BENCH_CNI_VERSION, withPrevResult, type BridgeNetConf } from '../netconf.js';
import {
  callAsync,
  callSync,
  failureMessage,
  succeeded,
  type CallOutcome,
  type CallSpec,
} from './call.js';

/** The PATH of every call: where ip, iptables, nsenter and friends live; nothing else leaks in. */
export const CALL_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Runs one call of a cycle; the passes differ only in this (timed, under /usr/bin/time, traced). */
export type Invoke = (op: ContainerOp, spec: CallSpec) => CallOutcome;

/** The container interface every call names. */
const IFNAME = 'eth0';

/** Stop calling an implementation in a config after this many failed cycles. */
const MAX_FAILED_CYCLES = 3;

const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The commands that act on a container. */
export type ContainerOp = Exclude<Op, 'VERSION'>;

/** The addresses of an ADD result, for the uniqueness check of the concurrent trials. */
function addressesOf(result: unknown): string[] {
  const ips = (result as { ips?: { address?: unknown }[] } | null)?.ips;
  return Array.isArray(ips) ? ips.map((ip) => String(ip.address)) : [];
}

function parseResult(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/** Concurrent trial wall times, ms; undefined when a call failed (the time would mislead). */
export interface TrialTimes {
  add: number | undefined;
  del: number | undefined;
}

/** An implementation's state in one config. */
export class ImplSession {
  private readonly dir: string;
  private readonly addConf: string;
  /** stdin of VERSION (and of the `true` baseline). */
  readonly versionConf: string;
  private failedCycles = 0;

  constructor(
    readonly spec: ImplementationSpec,
    private readonly conf: BridgeNetConf,
    /** This implementation's own container namespace for serial cycles. */
    private readonly home: string,
    workDir: string,
    private readonly cniPath: string,
    private readonly report: (failure: CallFailure) => void,
  ) {
    this.dir = join(workDir, spec.id);
    mkdirSync(this.dir, { recursive: true });
    this.addConf = this.writeConf('add.json', conf);
    this.versionConf = this.writeConf('version.json', { cniVersion: BENCH_CNI_VERSION });
  }

  /** False once the implementation failed too often in this config. */
  get active(): boolean {
    return this.failedCycles < MAX_FAILED_CYCLES;
  }

  /** A private file path in this session's directory. */
  file(name: string): string {
    return join(this.dir, name);
  }

  private writeConf(name: string, value: object): string {
    const path = this.file(name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  }

  /** The call of `op` for a container, with a clean environment. */
  callSpec(op: ContainerOp, containerId: string, netns: string, stdinFile: string): CallSpec {
    if (!CONTAINER_ID.test(containerId)) throw new Error(`bad container id ${containerId}`);
    const env = cniEnv({ command: op, containerId, netns, ifName: IFNAME, path: this.cniPath });
    return { argv: this.spec.argv, env: { PATH: CALL_PATH, ...env }, stdinFile };
  }

  /** The VERSION call (start-up and exit only). */
  versionSpec(): CallSpec {
    return {
      argv: this.spec.argv,
      env: { PATH: CALL_PATH, CNI_COMMAND: 'VERSION' },
      stdinFile: this.versionConf,
    };
  }

  private fail(op: CallFailure['op'], phase: string, message: string): void {
    this.report({ impl: this.spec.id, op, phase, message });
  }

  private countFailedCycle(phase: string): void {
    this.failedCycles += 1;
    if (!this.active)
      this.fail('ADD', phase, `gave up on this config after ${MAX_FAILED_CYCLES} failed cycles`);
  }

  /**
   * Removes the container interface a failed call may have left (the plugin's own DEL may fail
   * too), so that the next ADD into the namespace starts clean. Errors are expected: usually there
   * is nothing to remove.
   */
  private scrub(netns: string): void {
    spawnSync('nsenter', [`--net=${netns}`, '--', 'ip', 'link', 'del', IFNAME], {
      stdio: 'ignore',
      env: { PATH: CALL_PATH },
    });
  }

  /**
   * ADD, CHECK and DEL of one container in this implementation's own namespace; CHECK and DEL get
   * the ADD result as prevResult.
   */
  cycle(containerId: string, phase: string, invoke: Invoke): void {
    const netns = this.home;
    const add = invoke('ADD', this.callSpec('ADD', containerId, netns, this.addConf));
    if (!succeeded(add)) {
      this.fail('ADD', phase, failureMessage(add));
      // Whatever the failed ADD left must not disturb the next cycle.
      callSync(this.callSpec('DEL', containerId, netns, this.addConf));
      this.scrub(netns);
      this.countFailedCycle(phase);
      return;
    }
    const withResult = this.writeConf(
      `${containerId}.json`,
      withPrevResult(this.conf, parseResult(add.stdout)),
    );
    const check = invoke('CHECK', this.callSpec('CHECK', containerId, netns, withResult));
    if (!succeeded(check)) this.fail('CHECK', phase, failureMessage(check));
    const del = invoke('DEL', this.callSpec('DEL', containerId, netns, withResult));
    if (!succeeded(del)) {
      this.fail('DEL', phase, failureMessage(del));
      this.scrub(netns);
    }
    if (!succeeded(check) || !succeeded(del)) this.countFailedCycle(phase);
  }

  /** Starts one ADD per namespace at once, then one DEL per namespace at once. */
  async concurrentTrial(netns: readonly string[], trial: number): Promise<TrialTimes> {
    const phase = `trial ${trial + 1}`;
    const ids = netns.map((_, i) => `cnkbench-${this.spec.id}-c${trial}-${i}`);
    const addSpecs = netns.map((ns, i) => this.callSpec('ADD', ids[i]!, ns, this.addConf));
    let start = process.hrtime.bigint();
    const adds = await Promise.all(addSpecs.map(callAsync));
    const addWall = Number(process.hrtime.bigint() - start) / 1e6;

    let addsOk = true;
    const seen = new Set<string>();
    const delSpecs = adds.map((add, i) => {
      const ok = succeeded(add);
      if (!ok) {
        addsOk = false;
        this.fail('concurrent ADD', phase, failureMessage(add));
      }
      const result = ok ? parseResult(add.stdout) : undefined;
      for (const address of addressesOf(result)) {
        if (seen.has(address)) {
          addsOk = false;
          this.fail('concurrent ADD', phase, `address ${address} was given to two containers`);
        }
        seen.add(address);
      }
      const conf = this.writeConf(`${ids[i]}.json`, withPrevResult(this.conf, result));
      return this.callSpec('DEL', ids[i]!, netns[i]!, conf);
    });

    start = process.hrtime.bigint();
    const dels = await Promise.all(delSpecs.map(callAsync));
    const delWall = Number(process.hrtime.bigint() - start) / 1e6;
    let delsOk = true;
    for (const del of dels)
      if (!succeeded(del)) {
        delsOk = false;
        this.fail('concurrent DEL', phase, failureMessage(del));
      }
    if (!addsOk || !delsOk) {
      // The namespaces are shared with the other implementations' trials.
      netns.forEach((ns) => this.scrub(ns));
      this.countFailedCycle(phase);
    }
    return { add: addsOk ? addWall : undefined, del: delsOk ? delWall : undefined };
  }
}
