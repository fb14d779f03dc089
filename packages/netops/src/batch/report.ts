/**
 * Reading what a batch process printed. iproute2 reports each failing batch line on stderr as its
 * error text followed by `Command failed -:N` (N: 1-based line of its stdin); the sysctl script
 * reports its failures the same way with `cnikit-sysctl-failed I`. Text is attributed to the
 * marker that follows it. Each successful read line prints one JSON document on its own stdout line.
 */
import { NetopsError } from '../errors.js';
import { SYSCTL_MARKER } from '../sysctl-script.js';

const LINE_MARKER = /^Command failed .*:(\d+)$/;

/** What the stderr of a batch process says. */
export interface StderrReport {
  /** 1-based line (of the stdin of this process) to its error text. */
  readonly lines: ReadonlyMap<number, string>;
  /** 1-based sysctl index to its error text. */
  readonly sysctls: ReadonlyMap<number, string>;
  /** Text after the last marker (e.g. nsenter's complaint, or warnings). */
  readonly rest: string;
}

/** Splits stderr into per-line and per-sysctl messages. */
export function parseStderr(stderr: string): StderrReport {
  const lines = new Map<number, string>();
  const sysctls = new Map<number, string>();
  let pending: string[] = [];
  for (const raw of stderr.split('\n')) {
    const text = raw.trimEnd();
    const line = LINE_MARKER.exec(text);
    const sysctl = line ? null : SYSCTL_MARKER.exec(text);
    if (line) lines.set(Number(line[1]), pending.join('\n'));
    else if (sysctl) sysctls.set(Number(sysctl[1]), pending.join('\n'));
    else {
      if (text !== '') pending.push(text);
      continue;
    }
    pending = [];
  }
  return { lines, sysctls, rest: pending.join('\n') };
}

/** Parses stdout into one JSON value per non-empty line. */
export function parseJsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as unknown;
      } catch (cause) {
        throw new NetopsError(`unparsable JSON line from iproute2: ${l.slice(0, 200)}`, {
          kind: 'failed',
          stage: 'parse',
          cause,
        });
      }
    });
}
