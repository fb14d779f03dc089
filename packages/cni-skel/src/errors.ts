/**
 * The CNI error vocabulary: one error class carrying a spec code, and the codes as named constants.
 * Any other throw reaching the skel's boundary becomes {@link ErrorCode.Internal} (999).
 */

/** Error codes from the CNI spec (0-99 reserved), the Go reference's 8 and 999, and 100+ for plugins. */
export const ErrorCode = Object.freeze({
  /** Incompatible CNI version. */
  IncompatibleCniVersion: 1,
  /** Unsupported field in the network configuration; the message names the key and value. */
  UnsupportedField: 2,
  /** Container unknown or does not exist: the runtime need not clean up. */
  UnknownContainer: 3,
  /** Invalid or missing environment variables; the message names them. */
  InvalidEnvironmentVariables: 4,
  /** I/O failure, such as reading stdin. */
  IoFailure: 5,
  /** Failed to decode content (stdin JSON, a version string). */
  DecodingFailure: 6,
  /** Invalid network configuration. */
  InvalidNetworkConfig: 7,
  /** CNI_NETNS names the plugin's own network namespace (Go reference code). */
  InvalidNetNs: 8,
  /** Try again later: a transient failure. */
  TryAgainLater: 11,
  /** STATUS: the plugin cannot serve ADD. */
  PluginNotAvailable: 50,
  /** STATUS: not available, and existing containers may have limited connectivity. */
  PluginNotAvailableLimitedConnectivity: 51,
  /** Any untyped failure (Go reference code). */
  Internal: 999,
} as const);

export type ErrorCodeName = keyof typeof ErrorCode;

const BRAND = Symbol.for('@cnikit/cni-skel/CniError');

/** Options of a {@link CniError}: long details and the cause it wraps. */
export interface CniErrorOptions {
  details?: string | undefined;
  cause?: unknown;
}

/** The error object a plugin prints on stdout, as the spec defines it. */
export interface CniErrorJson {
  cniVersion?: string;
  code: number;
  msg: string;
  details?: string;
}

/** A failure with a CNI error code. Thrown anywhere in a handler, it is printed as the CNI error JSON. */
export class CniError extends Error {
  readonly code: number;
  readonly details: string | undefined;

  constructor(code: number, msg: string, options: CniErrorOptions = {}) {
    super(msg, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(code) || code < 0) throw new RangeError(`invalid CNI error code ${code}`);
    this.code = code;
    this.details = options.details === '' ? undefined : options.details;
  }

  /** The error's short message (the spec's `msg`). */
  get msg(): string {
    return this.message;
  }

  /** The spec's error object; `cniVersion` is included when given, `details` when non-empty. */
  toJSON(cniVersion?: string): CniErrorJson {
    const out: CniErrorJson = {} as CniErrorJson;
    if (cniVersion) out.cniVersion = cniVersion;
    out.code = this.code;
    out.msg = this.message;
    if (this.details) out.details = this.details;
    return out;
  }

  /** True for a CniError from any copy of this package (a global symbol brand, not `instanceof`). */
  static is(value: unknown): value is CniError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    );
  }
}
Object.defineProperty(CniError.prototype, 'name', { value: 'CniError', enumerable: false });
Object.defineProperty(CniError.prototype, BRAND, { value: true, enumerable: false });

/** Type guard for {@link CniError} that works across package copies. */
export const isCniError = (value: unknown): value is CniError => CniError.is(value);

/** Turns any thrown value into a CniError: CniErrors pass through, others become code 999. */
export function toCniError(value: unknown): CniError {
  if (isCniError(value)) return value;
  if (value instanceof Error)
    return new CniError(ErrorCode.Internal, value.message, { cause: value });
  return new CniError(ErrorCode.Internal, String(value), { cause: value });
}
