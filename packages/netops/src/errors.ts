/**
 * The one error vocabulary of netops: {@link NetopsError}, whose `kind` says what went wrong in
 * terms a caller can tolerate ("exists" from a concurrent creator, "not-found" on a repeated DEL)
 * and whose fields keep what is needed to debug it (argv, the failing batch line, exit code,
 * stderr, cause).
 */
import type { LineOutcome } from './batch/line.js';

/**
 * What went wrong, coarsely:
 * - `exists`: the object is already there (EEXIST);
 * - `not-found`: a link, address, route, namespace or file is missing (ENODEV, ESRCH, ENOENT...);
 * - `not-supported`: the kernel or tool refuses the operation (EOPNOTSUPP, e.g. vlan_filtering here);
 * - `busy`: EBUSY;
 * - `invalid`: a value was refused, by netops' own validation or by the kernel (EINVAL);
 * - `failed`: anything else (a process that could not start, a timeout, an unparsable reply...).
 */
export type NetopsErrorKind =
  'exists' | 'not-found' | 'not-supported' | 'busy' | 'invalid' | 'failed';

/** Where the failure happened. */
export type NetopsErrorStage =
  /** netops refused a name or value before running anything. */
  | 'validate'
  /** The program could not be started, or was killed on timeout. */
  | 'spawn'
  /** nsenter could not enter the namespace, or the namespace path is missing / not a netns. */
  | 'netns'
  /** A sysctl write failed. */
  | 'sysctl'
  /** A command (or a batch line) failed. */
  | 'command'
  /** The command succeeded but its output could not be understood. */
  | 'parse'
  /** A wait (operstate, address settling) gave up. */
  | 'wait';

/** The fields of a {@link NetopsError}; all but `kind` are optional. */
export interface NetopsErrorFields {
  kind: NetopsErrorKind;
  stage?: NetopsErrorStage | undefined;
  /** The argv that ran (with any nsenter prefix). */
  argv?: readonly string[] | undefined;
  exitCode?: number | undefined;
  stderr?: string | undefined;
  /** The namespace the command ran in (undefined: the caller's own). */
  netns?: string | undefined;
  /** 1-based index of the failing line in the batch as the caller built it. */
  line?: number | undefined;
  /** The text of that line. */
  lineText?: string | undefined;
  /** The per-line outcomes of the batch, when the failure came from one. */
  outcomes?: readonly LineOutcome[] | undefined;
  cause?: unknown;
}

const BRAND = Symbol.for('@cnikit/netops/NetopsError');

/** A failed network operation. Check `kind` (or use {@link isNetopsError}) to tolerate some. */
export class NetopsError extends Error {
  readonly kind: NetopsErrorKind;
  readonly stage: NetopsErrorStage | undefined;
  readonly argv: readonly string[] | undefined;
  readonly exitCode: number | undefined;
  readonly stderr: string | undefined;
  readonly netns: string | undefined;
  readonly line: number | undefined;
  readonly lineText: string | undefined;
  readonly outcomes: readonly LineOutcome[] | undefined;

  constructor(message: string, fields: NetopsErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.kind = fields.kind;
    this.stage = fields.stage;
    this.argv = fields.argv;
    this.exitCode = fields.exitCode;
    this.stderr = fields.stderr;
    this.netns = fields.netns;
    this.line = fields.line;
    this.lineText = fields.lineText;
    this.outcomes = fields.outcomes;
  }

  /** True for a NetopsError from any copy of this package (a global symbol brand). */
  static is(value: unknown): value is NetopsError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    );
  }
}
Object.defineProperty(NetopsError.prototype, 'name', { value: 'NetopsError', enumerable: false });
Object.defineProperty(NetopsError.prototype, BRAND, { value: true, enumerable: false });

/**
 * Type guard for {@link NetopsError} that works across package copies; with `kinds`, it is true only
 * for those kinds (e.g. `isNetopsError(err, 'not-found')` in a DEL).
 */
export function isNetopsError(value: unknown, ...kinds: NetopsErrorKind[]): value is NetopsError {
  return NetopsError.is(value) && (kinds.length === 0 || kinds.includes(value.kind));
}

/** A validation failure: netops refused a value before anything ran. */
export function invalid(message: string): NetopsError {
  return new NetopsError(message, { kind: 'invalid', stage: 'validate' });
}
