/**
 * The error vocabulary of host-local: one class, a CniError with a `kind` saying which part failed.
 * Messages follow the reference host-local 1.1.1 word for word where it has one; the codes follow
 * the spec (7 for an invalid configuration, 50 for STATUS) where the reference used 999 for all.
 */
import { CniError, ErrorCode } from '@cnikit/cni-skel';

/** Which part of host-local failed. */
export type HostLocalErrorKind =
  /** The network configuration, CNI_ARGS or a requested address is invalid (code 7). */
  | 'config'
  /** CNI_ARGS is malformed or its `IP` is not an address (code 4, as the skel's CNI_ARGS errors). */
  | 'args'
  /** No address could be reserved: range exhausted, requested address taken (code 999). */
  | 'allocation'
  /** The on-disk store could not be read or written (code 999). */
  | 'store'
  /** The store lock could not be taken (code 11, try again later). */
  | 'lock'
  /** CHECK found no reservation for the attachment (code 999). */
  | 'check'
  /** STATUS: an ADD could not be served now (code 50). */
  | 'unavailable';

const CODE_OF_KIND: Record<HostLocalErrorKind, number> = {
  config: ErrorCode.InvalidNetworkConfig,
  args: ErrorCode.InvalidEnvironmentVariables,
  allocation: ErrorCode.Internal,
  store: ErrorCode.Internal,
  lock: ErrorCode.TryAgainLater,
  check: ErrorCode.Internal,
  unavailable: ErrorCode.PluginNotAvailable,
};

/** A host-local failure; printed by the skel as the CNI error object. */
export class HostLocalError extends CniError {
  readonly kind: HostLocalErrorKind;

  constructor(
    kind: HostLocalErrorKind,
    msg: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(CODE_OF_KIND[kind], msg, options);
    this.kind = kind;
  }
}
Object.defineProperty(HostLocalError.prototype, 'name', {
  value: 'HostLocalError',
  enumerable: false,
});

/** Shorthand for a `config` error. */
export const configError = (msg: string, cause?: unknown): HostLocalError =>
  new HostLocalError('config', msg, { cause });

/**
 * The text Go gives an `*os.PathError` (`open /x: no such file or directory`), from a Node errno
 * error, so file errors read as the reference's.
 */
export function pathErrorText(op: string, path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Node: "ENOENT: no such file or directory, open '/x'" -> "no such file or directory".
  const reason = /^[A-Z0-9_]+: (.*?), \w+ '.*'$/.exec(message)?.[1] ?? message;
  return `${op} ${path}: ${reason}`;
}
