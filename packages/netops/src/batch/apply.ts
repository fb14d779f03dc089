/**
 * {@link applyBatch}: runs a batch in one namespace with as few processes as possible, and tells
 * per line what happened.
 *
 * One process per call in the usual case: `ip [-details -json] [-force] -batch -`, prefixed with
 * `nsenter --net=PATH --` for another namespace, and wrapped in the sysctl script when sysctls
 * are to be written there. With `onError: 'stop'` (default) iproute2 stops at the first failing
 * line; if that failure is tolerated, the rest of the batch runs in one more process. With
 * `onError: 'continue'` the batch runs with `-force`: every line runs whatever fails before it,
 * in one process unless iproute2 exits midway (a line its argument parser rejects ends the
 * process at once): the lines after the ones that may have run then run in one more process.
 * Lines whose fate such an exit (or a timeout) leaves unknown are `unknown` (see midway-exit.ts).
 * With a netlink opener, a batch of lines netops can send over netlink starts no process at all.
 */
import { classifyMessage } from '../classify.js';
import { NetopsError, type NetopsErrorKind } from '../errors.js';
import { opsOfLines, type NlOp } from '../netlink/ops.js';
import { needsNetnsFiles, runOverNetlink } from '../netlink/run.js';
import type {
  CommandRunner,
  NetlinkConnection,
  NetlinkOpener,
  NetnsEnter,
  RunResult,
} from '../runner.js';
import { execaRunner } from '../runners/execa-runner.js';
import {
  checkSysctl,
  writeOwnSysctls,
  type CheckedSysctl,
  type SysctlOutcome,
  type SysctlWrite,
  writeSysctlsWith,
} from '../sysctl.js';
import { SYSCTL_FATAL_EXIT, sysctlScriptArgv } from '../sysctl-script.js';
import { assertNetnsPath } from '../validate.js';
import type { Batch, QueryHandle } from './batch.js';
import { BridgeBatch } from './bridge-batch.js';
import { IpBatch } from './ip-batch.js';
import { lineText, type BatchLine, type BatchTool, type LineOutcome } from './line.js';
import { parseJsonLines, parseStderr, type StderrReport } from './report.js';
import { settleChunk, unlocatedError, type UnlocatedExit } from './settle.js';
import type { Journal } from './journal.js';
import { addUndoLines } from './undo.js';

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
  /**
   * Lines with an undo that ran (or may have: `unknown`) are recorded here, also when the batch
   * fails later.
   */
  journal?: Journal | undefined;
  /** Root for own-namespace sysctls instead of /proc/sys (tests). */
  sysctlRoot?: string | undefined;
  /**
   * Enters `netns` in the caller's own process: another namespace's sysctls are then written from
   * here, and the batch's process needs no shell in front of it (one process less).
   */
  enterNetns?: NetnsEnter | undefined;
  /**
   * Opens a netlink socket in the batch's namespace: an `ip` batch made only of lines netops can
   * send over netlink (see netlink/ops.ts: bridge and veth creation, link attributes and state,
   * bridge-port flags, link deletion, address and route changes, link reads) then runs in the
   * caller's own process, with the same outcomes and values. Other batches, and runtimes that
   * cannot open one, use `ip`.
   */
  netlink?: NetlinkOpener | undefined;
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
  /**
   * A batch undoing the lines that ran and have an undo, newest first; empty if none. `unknown`
   * lines are included tolerating `not-found`, unless they tolerate `exists` (see undo.ts).
   */
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

/** Runs one process; throws only when it cannot start (a timeout is the caller's to report). */
async function runOnce(
  ctx: RunContext,
  argv: readonly string[],
  input: string,
): Promise<RunResult> {
  try {
    return await ctx.runner(argv, { input, netns: ctx.netns, timeoutMs: ctx.timeoutMs });
  } catch (cause) {
    throw new NetopsError(
      `cannot run ${argv[0] ?? ''}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { kind: 'failed', stage: 'spawn', argv, netns: ctx.netns, cause },
    );
  }
}

/** A process killed on timeout; `outcomes` mark its lines `unknown`. */
function timeoutError(
  res: RunResult,
  ctx: RunContext,
  outcomes: readonly LineOutcome[],
): NetopsError {
  return new NetopsError(`${res.argv[0] ?? ''} timed out after ${ctx.timeoutMs} ms`, {
    kind: 'failed',
    stage: 'spawn',
    argv: res.argv,
    exitCode: res.exitCode,
    stderr: res.stderr,
    netns: ctx.netns,
    outcomes,
  });
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

/** What a {@link BatchResult} is made from. */
interface ResultParts {
  readonly tool: BatchTool;
  readonly netns: string | undefined;
  readonly lines: readonly BatchLine[];
  readonly outcomes: readonly LineOutcome[];
  readonly tolerateAll: readonly NetopsErrorKind[];
  readonly sysctls: readonly SysctlOutcome[];
  readonly processes: number;
  readonly values: ReadonlyMap<number, unknown>;
}

function makeResult(parts: ResultParts): BatchResult {
  const { tool, netns, lines, outcomes, tolerateAll, sysctls, processes, values } = parts;
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
      return addUndoLines(emptyBatch(tool), lines, outcomes, tolerateAll);
    },
  };
}

/**
 * Applies `batch` (see the module comment for the process cost). Resolves when every line
 * succeeded or failed with a tolerated kind; otherwise throws a NetopsError (stage `command`)
 * whose `line`, `lineText`, `argv`, `exitCode`, `stderr` and `outcomes` tell what failed: the
 * first failed line, or, when iproute2 exited midway and no line can be blamed, no `line` and
 * `unknown` outcomes for the lines that may have run. The lines that ran (or may have) are
 * recorded in `options.journal`, if given, also when it throws.
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
  let unlocated: UnlocatedExit | undefined;
  const parts = (): ResultParts => ({
    tool: batch.tool,
    netns,
    lines,
    outcomes,
    tolerateAll,
    sysctls: sysctlResults,
    processes,
    values,
  });

  if (netns === undefined && sysctls.length > 0)
    sysctlResults = await writeOwnSysctls(options.sysctls ?? [], { root: options.sysctlRoot });
  let pendingSysctls: readonly CheckedSysctl[] = netns === undefined ? [] : sysctls;
  if (netns !== undefined && sysctls.length > 0 && options.enterNetns) {
    const entered = await options.enterNetns(netns, (files) => writeSysctlsWith(files, sysctls));
    if (entered) {
      const s = entered.value;
      sysctlResults = s.outcomes;
      pendingSysctls = [];
      if (s.fatal) throw enteredSysctlError(s.fatal, s.message ?? 'failed', netns);
    }
  }

  const viaNetlink =
    options.netlink && batch.tool === 'ip' && pendingSysctls.length === 0
      ? await netlinkFor(lines, netns, options.netlink)
      : undefined;

  try {
    if (viaNetlink) {
      const { conn, ops } = viaNetlink;
      let run;
      try {
        run = runOverNetlink(conn, lines, ops, mode, tolerateAll);
      } finally {
        conn.close();
      }
      outcomes.push(...run.outcomes);
      for (const [index, value] of run.values) values.set(index, value);
      if (run.broken)
        throw new NetopsError(`netlink: ${run.broken.message}`, {
          kind: 'failed',
          stage: 'spawn',
          netns,
          outcomes,
          cause: run.broken,
        });
    }
    let start = viaNetlink ? lines.length : 0;
    while (start < lines.length || pendingSysctls.length > 0) {
      const chunk = lines.slice(start);
      const command = chunk.length > 0 ? [program, ...flagsFor(batch, mode), '-batch', '-'] : [];
      const argv = pendingSysctls.length > 0 ? sysctlScriptArgv(pendingSysctls, command) : command;
      const res = await runOnce(ctx, argv, chunk.map((l) => `${lineText(l)}\n`).join(''));
      processes += 1;
      if (res.timedOut) {
        // Killed while reading its stdin: any line of it may have run.
        for (const [i, line] of chunk.entries())
          outcomes[start + i] = { line: start + i + 1, text: lineText(line), status: 'unknown' };
        throw timeoutError(res, ctx, outcomes);
      }
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

      const end = settleChunk({ chunk, offset: start, report, res, mode, tolerateAll }, outcomes);
      assignReads(chunk, start, outcomes, parseJsonLines(res.stdout), values, res);
      if (outcomes.some((o) => o.status === 'failed')) failedRun ??= res;
      unlocated ??= end.unlocated;
      if (end.resumeAt === undefined) break;
      start = end.resumeAt;
    }
  } finally {
    // Lines never reached count as skipped: they get no undo.
    for (const [i, line] of lines.entries())
      outcomes[i] ??= { line: i + 1, text: lineText(line), status: 'skipped' };
    options.journal?.record(makeResult(parts()));
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
  if (unlocated) throw unlocatedError(unlocated, batch.tool, netns, outcomes);
  return makeResult(parts());
}

/**
 * The lines' operations and an open connection when the whole batch can go over netlink; undefined
 * when a line cannot, the runtime has no socket, or a veth needs a namespace file it cannot open.
 */
async function netlinkFor(
  lines: readonly BatchLine[],
  netns: string | undefined,
  open: NetlinkOpener,
): Promise<{ conn: NetlinkConnection; ops: NlOp[] } | undefined> {
  const ops = lines.length > 0 ? opsOfLines(lines) : undefined;
  const conn = ops && (await open(netns));
  if (!ops || !conn) return undefined;
  if (needsNetnsFiles(ops) && !conn.openNetns) {
    conn.close();
    return undefined;
  }
  return { conn, ops };
}

function enteredSysctlError(sysctl: CheckedSysctl, text: string, netns: string): NetopsError {
  return new NetopsError(`sysctl ${sysctl.name} in ${netns}: ${text}`, {
    kind: classifyMessage(text),
    stage: 'sysctl',
    netns,
  });
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
