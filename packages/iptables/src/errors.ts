/**
 * The package's one error vocabulary: every failure is a {@link NetfilterError} whose `code` says
 * what went wrong and whose fields keep what is needed to debug it (the argv, the restore or nft
 * text that was fed in, stderr, and the underlying cause).
 */

/** What kind of failure a {@link NetfilterError} reports. */
export const NetfilterErrorCode = Object.freeze({
  /** A name, ID, address or MAC was refused before it reached any command text. */
  InvalidInput: 'invalid-input',
  /** `ipMasqBackend` is neither "iptables" nor "nftables". */
  UnknownBackend: 'unknown-backend',
  /** A command could not be started or exited non-zero. */
  CommandFailed: 'command-failed',
  /** A command's output could not be understood. */
  UnexpectedOutput: 'unexpected-output',
  /** CHECK: rules that setup would have written are missing. */
  MissingRules: 'missing-rules',
  /** Several independent steps failed (teardown of both backends, GC); see `errors`. */
  Multiple: 'multiple',
} as const);

export type NetfilterErrorCodeValue = (typeof NetfilterErrorCode)[keyof typeof NetfilterErrorCode];

/** Which rule set an error is about. */
export type NetfilterBackendName = 'iptables' | 'ip6tables' | 'nftables' | 'spoofcheck';

/** Optional context of a {@link NetfilterError}. */
export interface NetfilterErrorDetails {
  backend?: NetfilterBackendName | undefined;
  /** The argv that was run (including any nsenter prefix). */
  argv?: readonly string[] | undefined;
  /** The text written to the command's stdin (restore or nft script). */
  input?: string | undefined;
  stderr?: string | undefined;
  exitCode?: number | undefined;
  /** For {@link NetfilterErrorCode.Multiple}: the individual failures. */
  errors?: readonly unknown[] | undefined;
  cause?: unknown;
}

const BRAND = Symbol.for('@cnikit/iptables/NetfilterError');

/** A failure while validating, planning or applying netfilter rules. */
export class NetfilterError extends Error {
  readonly code: NetfilterErrorCodeValue;
  readonly backend: NetfilterBackendName | undefined;
  readonly argv: readonly string[] | undefined;
  readonly input: string | undefined;
  readonly stderr: string | undefined;
  readonly exitCode: number | undefined;
  readonly errors: readonly unknown[];

  constructor(code: NetfilterErrorCodeValue, message: string, details: NetfilterErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.backend = details.backend;
    this.argv = details.argv;
    this.input = details.input;
    this.stderr = details.stderr;
    this.exitCode = details.exitCode;
    this.errors = details.errors ?? [];
  }

  /** True for a NetfilterError from any copy of this package (a global symbol brand). */
  static is(value: unknown): value is NetfilterError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    );
  }
}
Object.defineProperty(NetfilterError.prototype, 'name', {
  value: 'NetfilterError',
  enumerable: false,
});
Object.defineProperty(NetfilterError.prototype, BRAND, { value: true, enumerable: false });

/** Type guard for {@link NetfilterError} that works across package copies. */
export const isNetfilterError = (value: unknown): value is NetfilterError =>
  NetfilterError.is(value);

/** Shorthand for an {@link NetfilterErrorCode.InvalidInput} error (with the check's own error). */
export function invalidInput(message: string, cause?: unknown): NetfilterError {
  return new NetfilterError(NetfilterErrorCode.InvalidInput, message, { cause });
}

/**
 * Throws nothing for zero errors, the error itself for one, and a
 * {@link NetfilterErrorCode.Multiple} error joining the messages with newlines for more (as the
 * reference joins its teardown errors).
 */
export function throwCollected(errors: readonly unknown[]): void {
  if (errors.length === 0) return;
  if (errors.length === 1) throw errors[0];
  const message = errors.map((e) => (e instanceof Error ? e.message : String(e))).join('\n');
  throw new NetfilterError(NetfilterErrorCode.Multiple, message, { errors });
}

/** The reasons of the rejected entries of `Promise.allSettled`. */
export function rejections(settled: readonly PromiseSettledResult<unknown>[]): unknown[] {
  return settled.flatMap((s): unknown[] => (s.status === 'rejected' ? [s.reason as unknown] : []));
}
