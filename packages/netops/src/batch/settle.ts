/**
 * Turning what one `ip -batch` / `bridge -batch` process printed into per-line outcomes, and
 * deciding whether one more process must run the rest of the batch.
 */
import { classifyMessage } from '../classify.js';
import { NetopsError, type NetopsErrorKind } from '../errors.js';
import type { RunResult } from '../runner.js';
import { lineText, type BatchLine, type BatchTool, type LineOutcome } from './line.js';
import { exitedMidway, locateMidwayExit } from './midway-exit.js';
import type { StderrReport } from './report.js';

/** One process of a batch, with what it printed. */
export interface ChunkRun {
  /** The lines it read on stdin: the batch from `offset` on. */
  readonly chunk: readonly BatchLine[];
  /** 0-based batch index of its first line. */
  readonly offset: number;
  readonly report: StderrReport;
  readonly res: RunResult;
  readonly mode: 'stop' | 'continue';
  /** Kinds tolerated on every line. */
  readonly tolerateAll: readonly NetopsErrorKind[];
}

/** An exit midway that no line can be blamed for; the error is built once all outcomes are known. */
export interface UnlocatedExit {
  readonly res: RunResult;
  /** iproute2's exit message. */
  readonly text: string;
  /** 1-based batch lines that may have run (none when `last < first`). */
  readonly first: number;
  readonly last: number;
}

/** How one process ended, once the outcomes of its lines are recorded. */
export interface ChunkEnd {
  /** 0-based batch index where one more process resumes; undefined: nothing more runs. */
  readonly resumeAt: number | undefined;
  readonly unlocated?: UnlocatedExit | undefined;
}

/**
 * Records the outcome of chunk line `n` (1-based), which ran: ok without a message, else failed
 * or tolerated by the kind of its message.
 */
function recordRan(
  run: ChunkRun,
  n: number,
  message: string | undefined,
  outcomes: LineOutcome[],
): LineOutcome {
  const line = run.chunk[n - 1] as BatchLine;
  const index = run.offset + n - 1;
  const base = { line: index + 1, text: lineText(line) };
  if (message === undefined) return (outcomes[index] = { ...base, status: 'ok' });
  const kind = classifyMessage(message, line.hints);
  const tolerated = line.tolerate.includes(kind) || run.tolerateAll.includes(kind);
  return (outcomes[index] = { ...base, status: tolerated ? 'tolerated' : 'failed', kind, message });
}

/**
 * Records the outcomes of the lines of one process into `outcomes` (indexed by batch line) and
 * says where to resume: after a tolerated failure in `stop` mode; after an exit midway, past the
 * lines that may have run in `continue` mode, or past a tolerated culprit in `stop` mode.
 */
export function settleChunk(run: ChunkRun, outcomes: LineOutcome[]): ChunkEnd {
  const { chunk, report, res, mode } = run;
  if (exitedMidway(res, report, chunk.length, mode)) return settleMidwayExit(run, outcomes);
  const failedAt = [...report.lines.keys()].filter((n) => n >= 1 && n <= chunk.length);
  const stopAt = mode === 'stop' && failedAt.length > 0 ? Math.min(...failedAt) : chunk.length;
  let last: LineOutcome | undefined;
  for (let n = 1; n <= stopAt; n++) last = recordRan(run, n, report.lines.get(n), outcomes);
  const resume = mode === 'stop' && failedAt.length > 0 && last?.status === 'tolerated';
  return { resumeAt: resume ? run.offset + stopAt : undefined };
}

/** {@link settleChunk} for a process that exited before the end of its lines. */
function settleMidwayExit(run: ChunkRun, outcomes: LineOutcome[]): ChunkEnd {
  const { chunk, offset, report, res, mode } = run;
  const exit = locateMidwayExit(chunk, report, res.stdout);
  for (let n = 1; n <= exit.ranThrough; n++) recordRan(run, n, report.lines.get(n), outcomes);
  if (exit.culprit !== undefined) {
    const message = exit.text || `${res.argv[0] ?? 'batch'} exited with code ${res.exitCode}`;
    const culprit = recordRan(run, exit.culprit, message, outcomes);
    // The culprit is known, so is where to go on: `continue` tries every line.
    const resume = mode === 'continue' || culprit.status === 'tolerated';
    return { resumeAt: resume ? offset + exit.culprit : undefined };
  }
  for (let n = exit.ranThrough + 1; n <= exit.lastPossible; n++)
    outcomes[offset + n - 1] = {
      line: offset + n,
      text: lineText(chunk[n - 1] as BatchLine),
      status: 'unknown',
    };
  return {
    // Lines past the last possible one never ran: `continue` runs them. `stop` cannot know
    // whether it should (the failure may not be tolerated).
    resumeAt: mode === 'continue' ? offset + exit.lastPossible : undefined,
    unlocated: {
      res,
      text: exit.text,
      first: offset + exit.ranThrough + 1,
      last: offset + exit.lastPossible,
    },
  };
}

/** The error of an exit midway that no line can be blamed for (`outcomes` say what may have run). */
export function unlocatedError(
  exit: UnlocatedExit,
  tool: BatchTool,
  netns: string | undefined,
  outcomes: readonly LineOutcome[],
): NetopsError {
  // Never a single line: that one would be the culprit.
  const where =
    exit.last < exit.first
      ? 'after its last line'
      : `somewhere in lines ${exit.first}-${exit.last}`;
  const inNetns = netns === undefined ? '' : ` in ${netns}`;
  const text = exit.text || 'no message';
  return new NetopsError(
    `${tool} gave up on the batch${inNetns} (exit ${exit.res.exitCode}) ${where}: ${text}`,
    {
      kind: classifyMessage(exit.text),
      stage: 'command',
      argv: exit.res.argv,
      exitCode: exit.res.exitCode,
      stderr: exit.res.stderr,
      netns,
      outcomes,
    },
  );
}
