/**
 * The Go skel's version checks before a handler runs (cni-spec.md §1.3): the config version must be
 * exactly one the plugin supports; CHECK needs 0.4.0+, GC and STATUS 1.1.0+. ADD and DEL only test
 * membership, so an unparsable version is code 1 there but code 6 for CHECK, GC and STATUS.
 */
import type { CniCommand } from './env.js';
import { CniError, ErrorCode } from './errors.js';
import { versionAtLeast } from './versions.js';

const MINIMUM: Partial<Record<CniCommand, string>> = {
  CHECK: '0.4.0',
  GC: '1.1.0',
  STATUS: '1.1.0',
};

const goQuote = (s: string): string => JSON.stringify(s);

function requireSupported(configVersion: string, supported: readonly string[]): void {
  if (supported.includes(configVersion)) return;
  throw new CniError(ErrorCode.IncompatibleCniVersion, 'incompatible CNI versions', {
    details: `config is ${goQuote(configVersion)}, plugin supports [${supported.map(goQuote).join(' ')}]`,
  });
}

/** Throws the Go skel's error when `command` may not run at `configVersion` (already "" -> 0.1.0). */
export function checkVersionGates(
  command: CniCommand,
  configVersion: string,
  supported: readonly string[],
): void {
  const minimum = MINIMUM[command];
  if (minimum !== undefined) {
    // versionAtLeast throws code 6 for an unparsable version.
    if (!versionAtLeast(configVersion, minimum))
      throw new CniError(
        ErrorCode.IncompatibleCniVersion,
        `config version does not allow ${command}`,
      );
    if (!supported.some((v) => versionAtLeast(v, configVersion)))
      throw new CniError(
        ErrorCode.IncompatibleCniVersion,
        `plugin version does not allow ${command}`,
      );
  }
  requireSupported(configVersion, supported);
}
