/** A CommandRunner for unit tests: records every call and answers from a script of replies. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner, RunOptions, RunResult } from '../../src/index.js';

export interface RecordedCall {
  argv: readonly string[];
  options: RunOptions;
}

export type Reply = Partial<Omit<RunResult, 'argv'>> | Error;

export interface FakeRunner extends CommandRunner {
  calls: RecordedCall[];
}

/** Answers the n-th call with replies[n] (the last one repeats); default: success, no output. */
export function fakeRunner(...replies: Reply[]): FakeRunner {
  const calls: RecordedCall[] = [];
  const run = (argv: readonly string[], options: RunOptions = {}): Promise<RunResult> => {
    calls.push({ argv: [...argv], options });
    const reply = replies[Math.min(calls.length - 1, replies.length - 1)] ?? {};
    if (reply instanceof Error) return Promise.reject(reply);
    return Promise.resolve({ argv, exitCode: 0, stdout: '', stderr: '', ...reply });
  };
  return Object.assign(run, { calls });
}

/** A recorded fixture's text. */
export function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
}

/** The JSON documents of a recorded .jsonl fixture, one per line. */
export function fixtureDocs(name: string): unknown[] {
  return fixture(name)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/** One document of a .jsonl fixture as a stdout line. */
export function docLine(name: string, index: number): string {
  return `${JSON.stringify(fixtureDocs(name)[index])}\n`;
}
