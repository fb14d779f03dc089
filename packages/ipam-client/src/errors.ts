/**
 * The package's one error type. Every failure is an {@link IpamError}, which is a `CniError`, so a
 * plugin can let it reach the skel and the runtime sees a spec error object. A delegate's own
 * failure keeps its code, msg and details; everything else this package detects uses code 999.
 */
import { CniError, ErrorCode } from '@cnikit/cni-skel';

/** What went wrong, for callers that branch on it (the message is for people). */
export type IpamErrorReason =
  /** The plugin name or CNI_PATH is unusable, or no such plugin exists on it. */
  | 'lookup'
  /** The plugin could not be started (permission, exec format, text file busy after retries). */
  | 'spawn'
  /** The plugin ran longer than the allowed time and was killed. */
  | 'timeout'
  /** The plugin exited non-zero; code, msg and details are its own when it printed them. */
  | 'delegate'
  /** The plugin succeeded but its ADD output is not a usable result. */
  | 'result'
  /** Applying a result to an interface failed (bad input, a kernel refusal, DAD). */
  | 'configure';

/** Options of an {@link IpamError}. */
export interface IpamErrorOptions {
  code?: number;
  details?: string | undefined;
  cause?: unknown;
}

/** A failure of IPAM delegation or of applying its result; a `CniError` with a {@link reason}. */
export class IpamError extends CniError {
  readonly reason: IpamErrorReason;

  constructor(reason: IpamErrorReason, msg: string, options: IpamErrorOptions = {}) {
    super(options.code ?? ErrorCode.Internal, msg, {
      details: options.details,
      cause: options.cause,
    });
    this.reason = reason;
  }
}
Object.defineProperty(IpamError.prototype, 'name', { value: 'IpamError', enumerable: false });

/** True for an {@link IpamError} (optionally of one reason). */
export function isIpamError(value: unknown, reason?: IpamErrorReason): value is IpamError {
  return value instanceof IpamError && (reason === undefined || value.reason === reason);
}
