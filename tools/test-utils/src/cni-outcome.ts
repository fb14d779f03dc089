/**
 * What every run of a CNI plugin must look like, whatever its input: exit 0 with nothing or one
 * JSON document on stdout, or exit 1 with exactly one CNI error object on stdout; never a stack
 * trace, never a JavaScript engine message passed off as the error. For in-process runs
 * (`invokePlugin`) and for runs of an executable alike.
 */

/** The parts of a plugin run that are judged. */
export interface PluginOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The CNI error object of a failed run. */
export interface CniErrorDoc {
  cniVersion?: string;
  code: number;
  msg: string;
  details?: string;
}

/** A stack frame line as V8 and Bun print them. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|<anonymous>\)?)$/m;

/**
 * Messages of the engine's own TypeErrors and RangeErrors: a crash dressed as a CNI error. Only the
 * engine's own "Cannot convert" phrasings count: the reference's result conversion legitimately
 * says "cannot convert: no valid IP addresses".
 */
export const ENGINE_MESSAGE =
  /is not a function|is not iterable|Cannot read propert|Cannot convert (?:undefined|null|a BigInt|a Symbol|object)|undefined is not an object|null is not an object|Maximum call stack|is not defined|Invalid string length|out of memory/i;

const ERROR_KEYS: ReadonlySet<string> = new Set(['cniVersion', 'code', 'msg', 'details']);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Throws an Error describing the run unless `out` is well formed; returns the CNI error object of
 * a failed run, undefined for a success.
 */
export function checkCniOutcome(out: PluginOutcome): CniErrorDoc | undefined {
  const fail = (why: string): never => {
    throw new Error(
      `${why}\nexit ${out.exitCode}\nstdout: ${out.stdout.slice(0, 500)}\nstderr: ${out.stderr.slice(0, 500)}`,
    );
  };
  if (STACK_FRAME.test(out.stdout)) fail('stack trace on stdout');
  if (out.exitCode !== 0 && out.exitCode !== 1) fail('exit code is neither 0 nor 1');
  if (out.stdout !== '' && !out.stdout.endsWith('\n')) fail('stdout does not end with a newline');
  const lines = out.stdout.split('\n').filter((l) => l !== '');
  if (lines.length > 1) fail('more than one line on stdout');
  const doc = lines.length === 1 ? parse(lines[0] ?? '') : undefined;
  if (out.exitCode === 0) {
    if (lines.length === 1 && doc === undefined) fail('stdout of a success is not JSON');
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return fail('a failure without an error object on stdout');
  const error = doc as Partial<Record<keyof CniErrorDoc, unknown>>;
  for (const key of Object.keys(error)) if (!ERROR_KEYS.has(key)) fail(`unexpected key ${key}`);
  if (!Number.isInteger(error.code)) fail('error code is not an integer');
  if (typeof error.msg !== 'string') fail('error msg is not a string');
  if (error.details !== undefined && typeof error.details !== 'string')
    fail('details not a string');
  if (error.cniVersion !== undefined && typeof error.cniVersion !== 'string')
    fail('cniVersion not a string');
  const { msg, details } = error as CniErrorDoc;
  const text = `${msg}\n${details ?? ''}`;
  if (ENGINE_MESSAGE.test(text)) fail('an engine error reached the error object');
  if (STACK_FRAME.test(text)) fail('stack trace in the error object');
  return error as CniErrorDoc;
}
