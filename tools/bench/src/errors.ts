/** The bench's one error vocabulary: a typed error with a code and the cause it wraps. */

/** Why the bench could not run (a missed target is not an error; it is a result). */
export const BenchErrorCode = {
  /** An environment variable holds a value the bench cannot use. */
  BadSetting: 'bad-setting',
  /** A plugin executable or entry file is missing or not executable. */
  MissingProgram: 'missing-program',
  /** The bench must run as root (it creates network namespaces). */
  NotRoot: 'not-root',
  /** The driver inside the host namespace failed or wrote no usable output. */
  DriverFailed: 'driver-failed',
  /** A statistic was asked of an empty sample. */
  EmptySample: 'empty-sample',
} as const;

/** One of {@link BenchErrorCode}'s values. */
export type BenchErrorCode = (typeof BenchErrorCode)[keyof typeof BenchErrorCode];

/** A failure of the bench itself, with a code callers can branch on and the original cause. */
export class BenchError extends Error {
  override readonly name = 'BenchError';

  constructor(
    readonly code: BenchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
