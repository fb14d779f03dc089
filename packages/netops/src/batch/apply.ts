/**
 * {@link applyBatch}: runs a batch in one namespace with as few processes as possible, and tells
 * per line what happened.
 *
 * One process per call in the usual case: `ip [-details -json] [-force] -batch -`, prefixed with
 * `nsenter --net=PATH --` for another namespace, and wrapped in the sysctl script when sysctls
 * are to be written there. With `onError: 'stop'` (default) iproute2 stops at the first failing
 * line; if that failure is tolerated, the rest of the batch runs in one more process. With
 * `onError: 'continue'` the batch runs with `-force`: every line runs whatever fails before it,
 * always in one process.
 */
import { classifyMessage } from '../classify.js';
import { NetopsError, type NetopsErrorKind } from '../errors.js';
import type { CommandRunner, RunResult } from '../runner.js';
import { execaRunner } from '../runners/execa-runner.js';
import {
  checkSysctl,
  writeOwnSysctls,
  type CheckedSysctl,
  type SysctlOutcome,
  type SysctlWrite,
} from '../sysctl.js';
import { SYSCTL_FATAL_EXIT, sysctlScriptArgv } from '../sysctl-script.js';
import { assertNetnsPath } from '../validate.js';
import type { Batch, QueryHandle } from './batch.js';
import { BridgeBatch } from './bridge-batch.js';
import { IpBatch } from './ip-batch.js';
import { lineText, type BatchLine, type BatchTool, type LineOutcome } from './line.js';
import { parseJsonLines, parseStderr, type StderrReport } from './report.js';
import type { Journal } from './journal.js';

/** Options of {@link applyBatch}. */
export interface ApplyOptions {
  /** Namespace to run in (any nsfs path); undefined: the caller's own. */
  netns?: string | undefined;
  /** Default: {@link execaRunner}. */
  runner?: CommandRunner | undefined;
  /**
   * Written before the batch: in the caller's own namespace directly through /proc/sys, in
   * another namespace by the batch's own process (no extra process).
   */
  sysctls?: readonly SysctlWrite[] | undefined;
  /** `stop` (default): stop at the first failure; `continue`: run every line (`-force`). */
  onError?: 'stop' | 'continue' | undefined;
  /** Failure kinds tolerated on every line, on top of each line's own. */
  tolerate?: readonly NetopsErrorKind[] | undefined;
  /** Default 30 s per process. */
  timeoutMs?: number | undefined;
  /** Program to run instead of `ip` / `bridge` from PATH. */
  program?: string | undefined;
  /** Successful lines with an undo are recorded here, also when the batch fails later. */
  journal?: Journal | undefined;
  /** Root for own-namespace sysctls instead of /proc/sys (tests). */
  sysctlRoot?: string | undefined;
}

/** The result of {@link applyBatch}. */
export interface BatchResult {
  readonly tool: BatchTool;
  readonly netns: string | undefined;
  readonly outcomes: readonly LineOutcome[];
  readonly sysctls: readonly SysctlOutcome[];
  /** How many processes were started. */
  readonly processes: number;
  /** The value of a read line; throws if that line did not run. */
  read<T>(handle: QueryHandle<T>): T;
  /** A batch undoing the successful lines that have an undo, newest first; empty if none. */
  undo(): Batch;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** A new empty batch for `tool`. */
export function emptyBatch(tool: BatchTool): Batch {
  return tool === 'ip' ? new IpBatch() : new BridgeBatch();
}

function flagsFor(batch: Batch, mode: 'stop' | 'continue'): string[] {
  const flags: string[] = [];
  if (batch.hasReads) flags.push(...(batch.tool === 'ip' ? ['-details', '-json'] : ['-json']));
  if (mode === 'continue') flags.push('-force');
  return flags;
}

interface RunContext {
  readonly runner: CommandRunner;
  readonly netns: string | undefined;
  readonly timeoutMs: number;
}

async function runOnce(
  ctx: RunContext,
  argv: readonly string[],
  input: string,
): Promise<RunResult> {
  let res: RunResult;
  try {
    res = await ctx.runner(argv, { input, netns: ctx.netns, timeoutMs: ctx.timeoutMs });
  } catch (cause) {
    throw new NetopsError(
      `cannot run ${argv[0] ?? ''}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { kind: 'failed', stage: 'spawn', argv, netns: ctx.netns, cause },
    );
  }
  if (res.timedOut)
    throw new NetopsError(`${argv[0] ?? ''} timed out after ${ctx.timeoutMs} ms`, {
      kind: 'failed',
      stage: 'spawn',
      argv: res.argv,
      exitCode: res.exitCode,
      stderr: res.stderr,
      netns: ctx.netns,
    });
  return res;
}

/** nsenter's own failure (the namespace could not be entered): no batch line ran. */
function netnsFailure(res: RunResult, netns: string | undefined): NetopsError | undefined {
  const m = /^nsenter: (.*)$/m.exec(res.stderr);
  if (res.exitCode === 0 || !m || netns === undefined) return undefined;
  const text = m[1] ?? '';
  return new NetopsError(`cannot enter network namespace ${netns}: ${text}`, {
    kind: /No such file/i.test(text) ? 'not-found' : classifyMessage(text),
    stage: 'netns',
    argv: res.argv,
    exitCode: res.exitCode,
    stderr: res.stderr,
    netns,
  });
}

function sysctlOutcomes(
  sysctls: readonly CheckedSysctl[],
  report: StderrReport,
): { outcomes: SysctlOutcome[]; fatal?: CheckedSysctl; message?: string } {
  const outcomes: SysctlOutcome[] = [];
  for (const [i, s] of sysctls.entries()) {
    const message = report.sysctls.get(i + 1);
    if (message === undefined) {
      outcomes.push({ name: s.name, value: s.value, status: 'set', changed: undefined });
      continue;
    }
    outcomes.push({ name: s.name, value: s.value, status: 'failed', changed: false, message });
    if (!s.optional) return { outcomes, fatal: s, message };
  }
  return { outcomes };
}

/** The stopping failure of a process in `stop` mode. */
interface Stop {
  /** 0-based index in the whole batch. */
  readonly index: number;
  readonly tolerated: boolean;
}

/**
 * Records the outcomes of the lines of one process (`chunk`, starting at batch index `offset`).
 * Returns where iproute2 stopped in `stop` mode. Throws when the process failed without saying
 * which line (iproute2 exits at once on some malformed input).
 */
function settleChunk(
  chunk: readonly BatchLine[],
  offset: number,
  report: StderrReport,
  res: RunResult,
  mode: 'stop' | 'continue',
  tolerateAll: readonly NetopsErrorKind[],
  outcomes: LineOutcome[],
  netns: string | undefined,
): Stop | undefined {
  const failedAt = [...report.lines.keys()].filter((n) => n >= 1 && n <= chunk.length);
  const ipExit = res.exitCode;
  // With -force iproute2 exits 1 after failed lines; anything else means it gave up midway.
  const unexplained =
    ipExit !== 0 && (failedAt.length === 0 || (mode === 'continue' && ipExit !== 1));
  if (unexplained) {
    const text = [...report.lines.values(), report.rest].join('\n').trim() || res.stderr.trim();
    throw new NetopsError(`${res.argv[0] ?? 'batch'} failed (exit ${ipExit}): ${text}`, {
      kind: classifyMessage(text),
      stage: 'command',
      argv: res.argv,
      exitCode: ipExit,
      stderr: res.stderr,
      netns,
    });
  }
  const stopAt = mode === 'stop' && failedAt.length > 0 ? Math.min(...failedAt) : chunk.length;
  let stop: Stop | undefined;
  for (let n = 1; n <= Math.min(stopAt, chunk.length); n++) {
    const line = chunk[n - 1] as BatchLine;
    const index = offset + n - 1;
    const base = { line: index + 1, text: lineText(line) };
    const message = report.lines.get(n);
    if (message === undefined) {
      outcomes[index] = { ...base, status: 'ok' };
      continue;
    }
    const kind = classifyMessage(message, line.hints);
    const tolerated = line.tolerate.includes(kind) || tolerateAll.includes(kind);
    outcomes[index] = { ...base, status: tolerated ? 'tolerated' : 'failed', kind, message };
    if (mode === 'stop') stop = { index, tolerated };
  }
  return stop;
}

/** Gives each read line that ran its value: the next JSON document, or its value when missing. */
function assignReads(
  chunk: readonly BatchLine[],
  offset: number,
  outcomes: readonly LineOutcome[],
  docs: readonly unknown[],
  values: Map<number, unknown>,
  res: RunResult,
): void {
  let next = 0;
  for (const [i, line] of chunk.entries()) {
    const index = offset + i;
    const outcome = outcomes[index];
    if (!line.parse || !outcome) continue;
    if (outcome.status === 'ok') {
      if (next >= docs.length) throw missingOutput(res);
      values.set(index, line.parse(docs[next++]));
    } else if (outcome.status === 'tolerated' && line.ifMissing) {
      values.set(index, line.ifMissing());
    }
  }
  if (next !== docs.length) throw missingOutput(res);
}

function missingOutput(res: RunResult): NetopsError {
  return new NetopsError('the JSON documents printed do not match the read lines of the batch', {
    kind: 'failed',
    stage: 'parse',
    argv: res.argv,
    exitCode: res.exitCode,
    stderr: res.stderr,
  });
}

function makeResult(
  tool: BatchTool,
  netns: string | undefined,
  lines: readonly BatchLine[],
  outcomes: readonly LineOutcome[],
  sysctls: readonly SysctlOutcome[],
  processes: number,
  values: ReadonlyMap<number, unknown>,
): BatchResult {
  return {
    tool,
    netns,
    outcomes: [...outcomes],
    sysctls: [...sysctls],
    processes,
    read<T>(handle: QueryHandle<T>): T {
      if (!values.has(handle.index))
        throw new NetopsError(`batch line ${handle.index + 1} produced no value`, {
          kind: 'failed',
          stage: 'parse',
        });
      return values.get(handle.index) as T;
    },
    undo(): Batch {
      const undo = emptyBatch(tool);
      for (let i = outcomes.length - 1; i >= 0; i--) {
        const u = outcomes[i]?.status === 'ok' ? lines[i]?.undo : undefined;
        if (u) undo.add(u);
      }
      return undo;
    },
  };
}

/**
 * Applies `batch` (see the module comment for the process cost). Resolves when every line
 * succeeded or failed with a tolerated kind; otherwise throws a NetopsError (stage `command`)
 * whose `line`, `lineText`, `argv`, `exitCode`, `stderr` and `outcomes` tell what failed. The
 * lines that succeeded are recorded in `options.journal`, if given, also when it throws.
 */
export async function applyBatch(batch: Batch, options: ApplyOptions = {}): Promise<BatchResult> {
  const netns = options.netns === undefined ? undefined : assertNetnsPath(options.netns);
  const ctx: RunContext = {
    runner: options.runner ?? execaRunner,
    netns,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const mode = options.onError ?? 'stop';
  const lines = [...batch.lines];
  const tolerateAll = options.tolerate ?? [];
  const sysctls = (options.sysctls ?? []).map(checkSysctl);
  const program = options.program ?? batch.tool;
  const outcomes: LineOutcome[] = [];
  const values = new Map<number, unknown>();
  let sysctlResults: SysctlOutcome[] = [];
  let processes = 0;
  let failedRun: RunResult | undefined;

  if (netns === undefined && sysctls.length > 0)
    sysctlResults = await writeOwnSysctls(options.sysctls ?? [], { root: options.sysctlRoot });
  let pendingSysctls: readonly CheckedSysctl[] = netns === undefined ? [] : sysctls;

  try {
    let start = 0;
    while (start < lines.length || pendingSysctls.length > 0) {
      const chunk = lines.slice(start);
      const command = chunk.length > 0 ? [program, ...flagsFor(batch, mode), '-batch', '-'] : [];
      const argv = pendingSysctls.length > 0 ? sysctlScriptArgv(pendingSysctls, command) : command;
      const res = await runOnce(ctx, argv, chunk.map((l) => `${lineText(l)}\n`).join(''));
      processes += 1;
      const report = parseStderr(res.stderr);
      const enterError = netnsFailure(res, netns);
      if (enterError && report.lines.size === 0 && report.sysctls.size === 0) throw enterError;

      if (pendingSysctls.length > 0) {
        const s = sysctlOutcomes(pendingSysctls, report);
        sysctlResults = s.outcomes;
        pendingSysctls = [];
        if (s.fatal || res.exitCode === SYSCTL_FATAL_EXIT) throw sysctlError(s, res, netns);
      }
      if (chunk.length === 0) break;

      const stop = settleChunk(chunk, start, report, res, mode, tolerateAll, outcomes, netns);
      assignReads(chunk, start, outcomes, parseJsonLines(res.stdout), values, res);
      if (outcomes.some((o) => o.status === 'failed')) failedRun ??= res;
      if (stop === undefined) break;
      if (stop.tolerated) {
        // iproute2 stopped at a tolerated failure: what is left runs in one more process.
        start = stop.index + 1;
        continue;
      }
      for (let i = stop.index + 1; i < lines.length; i++)
        outcomes[i] = { line: i + 1, text: lineText(lines[i] as BatchLine), status: 'skipped' };
      break;
    }
  } finally {
    // Lines never reached (or whose fate is unknown) count as skipped: they get no undo.
    for (const [i, line] of lines.entries())
      outcomes[i] ??= { line: i + 1, text: lineText(line), status: 'skipped' };
    options.journal?.record(
      makeResult(batch.tool, netns, lines, outcomes, sysctlResults, processes, values),
    );
  }

  const failed = outcomes.find((o) => o.status === 'failed');
  if (failed) {
    const where = netns === undefined ? '' : ` in ${netns}`;
    throw new NetopsError(
      `${batch.tool} batch line ${failed.line} "${failed.text}"${where}: ${failed.message ?? 'failed'}`,
      {
        kind: failed.kind ?? 'failed',
        stage: 'command',
        argv: failedRun?.argv,
        exitCode: failedRun?.exitCode,
        stderr: failedRun?.stderr,
        netns,
        line: failed.line,
        lineText: failed.text,
        outcomes,
      },
    );
  }
  return makeResult(batch.tool, netns, lines, outcomes, sysctlResults, processes, values);
}

function sysctlError(
  s: { fatal?: CheckedSysctl; message?: string },
  res: RunResult,
  netns: string | undefined,
): NetopsError {
  const text = s.message ?? res.stderr.trim();
  return new NetopsError(`sysctl ${s.fatal?.name ?? '?'} in ${netns ?? 'own netns'}: ${text}`, {
    kind: classifyMessage(text),
    stage: 'sysctl',
    argv: res.argv,
    exitCode: res.exitCode,
    stderr: res.stderr,
    netns,
  });
}
