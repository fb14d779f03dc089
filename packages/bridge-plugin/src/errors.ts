/**
 * The bridge plugin's error vocabulary. Messages are the reference plugin's texts, because runtimes
 * and operators match on them; the skel prints any of these as CNI error code 999 (Go's generic
 * code), while errors delegated from IPAM keep their own code.
 */

/** A failure of the bridge plugin; `cause` keeps the underlying error (a failed command...). */
export class BridgeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}
Object.defineProperty(BridgeError.prototype, 'name', { value: 'BridgeError' });

/** The network configuration or CNI_ARGS were refused (`failed to load netconf: ...` and kin). */
export class BridgeConfigError extends BridgeError {}
Object.defineProperty(BridgeConfigError.prototype, 'name', { value: 'BridgeConfigError' });
