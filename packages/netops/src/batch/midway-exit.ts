/**
 * Where iproute2 gave up on a batch. Most failing lines are reported (`Command failed -:N`) and
 * the batch goes on (`-force`) or stops there; but a line iproute2's argument parser rejects (an
 * unknown device after `master`, a bad value, a missing one) makes it exit at once, without
 * naming the line. What ran before is then inferred from what is certain:
 * - every line up to the last reported one ran (lines print nothing on success);
 * - every line up to the read line that printed the last JSON document ran, and the first read
 *   line that printed nothing did not run past the exit (it is the culprit or comes after it);
 * - the parser's error text names the offending word: the culprit is one of the lines holding it.
 * The lines between the last certain one and the last possible one may or may not have run.
 */
import type { RunResult } from '../runner.js';
import type { BatchLine } from './line.js';
import type { StderrReport } from './report.js';

/** Where the exit happened, in 1-based lines of one process's stdin. */
export interface MidwayExit {
  /** Lines 1..ranThrough certainly ran (the reported ones failed, the others succeeded). */
  readonly ranThrough: number;
  /** Lines after this one certainly did not run; lines ranThrough+1..lastPossible may have. */
  readonly lastPossible: number;
  /** The line that made iproute2 exit, when only one line can be it. */
  readonly culprit: number | undefined;
  /** iproute2's last words: the exit message ('' when it printed none). */
  readonly text: string;
}

/**
 * The parser errors of iproute2 that exit the batch (utils.c: invarg, duparg, duparg2, and the
 * address parsers), each with the word it quotes from the offending line.
 */
const NAMED_WORD: readonly RegExp[] = [
  /argument "([^"]+)" is wrong/,
  /"([^"]+)" is the second value/,
  /"([^"]+)" is a garbage/,
  /expected rather than "([^"]+)"/,
];

/** The last non-empty line of the text after the last `Command failed` marker. */
function lastWords(report: StderrReport): string {
  return (
    report.rest
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1)
      ?.trim() ?? ''
  );
}

/**
 * True when the process exited before the end of its batch: with `-force` iproute2 ends with
 * exit 1 when lines failed, so another code, or an error left without a `Command failed` marker
 * after it (some parsers exit with 1 too), means it gave up; without `-force`, a failure it
 * does not attribute to a line does.
 */
export function exitedMidway(
  res: RunResult,
  report: StderrReport,
  lineCount: number,
  mode: 'stop' | 'continue',
): boolean {
  if (res.exitCode === 0) return false;
  const reported = [...report.lines.keys()].some((n) => n >= 1 && n <= lineCount);
  if (!reported) return true;
  return mode === 'continue' && (res.exitCode !== 1 || lastWords(report).startsWith('Error:'));
}

/** Counts the JSON documents on stdout, up to the first line that is not one (a cut-off print). */
function countDocuments(stdout: string): number {
  let count = 0;
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    try {
      JSON.parse(line);
    } catch {
      break;
    }
    count += 1;
  }
  return count;
}

/** Locates the exit of a process that ran `chunk` and gave up midway (see the module comment). */
export function locateMidwayExit(
  chunk: readonly BatchLine[],
  report: StderrReport,
  stdout: string,
): MidwayExit {
  const text = lastWords(report);
  const reported = [...report.lines.keys()].filter((n) => n >= 1 && n <= chunk.length);
  let ranThrough = Math.max(0, ...reported);
  let lastPossible = chunk.length;

  // Read lines that succeeded print one document each, in order; failed ones are reported.
  const printing = chunk.flatMap((l, i) => (l.parse && !report.lines.has(i + 1) ? [i + 1] : []));
  const docs = countDocuments(stdout);
  if (docs > 0)
    ranThrough = Math.max(ranThrough, printing[Math.min(docs, printing.length) - 1] ?? 0);
  const silent = printing[docs];
  if (silent !== undefined && silent > ranThrough) lastPossible = silent;

  const word = NAMED_WORD.map((re) => re.exec(text)?.[1]).find((w) => w !== undefined);
  if (word !== undefined) {
    const holders: number[] = [];
    for (let n = ranThrough + 1; n <= lastPossible; n++)
      if (chunk[n - 1]?.words.includes(word)) holders.push(n);
    const [first] = holders;
    if (first !== undefined) {
      ranThrough = first - 1;
      lastPossible = holders.at(-1) ?? first;
    }
  }
  const culprit = lastPossible === ranThrough + 1 ? lastPossible : undefined;
  return { ranThrough, lastPossible, culprit, text };
}
