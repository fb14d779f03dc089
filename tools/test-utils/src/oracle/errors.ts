/** The oracle's one error type: a failed observation or a bad input, keeping what caused it. */

/** Why the oracle could not run a plugin or take a snapshot. */
export class OracleError extends Error {
  override readonly name = 'OracleError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}
