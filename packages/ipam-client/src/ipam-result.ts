/**
 * Reading an IPAM ADD output the way cni's invoke package does: `null` counts as `{}`, empty or
 * invalid JSON is an error, a missing `cniVersion` means the config's version (cni issue #895),
 * and the result is converted to the current version before anyone uses it.
 */
import { ErrorCode, isCniError, parseResult, type Result } from '@cnikit/cni-skel';
import { IpamError } from './errors.js';

/** An IPAM result: the version it was written in, and its conversion to 1.1.0. */
export interface ParsedIpamResult {
  /** The result's own `cniVersion`, or the config's when it had none. */
  sourceVersion: string;
  /** The result in the current version (1.1.0). */
  result: Result;
}

/**
 * Parses an IPAM ADD stdout.
 *
 * @param configVersion the config's `cniVersion`, used when the result carries none.
 * @throws {@link IpamError} (reason `result`, code 6) for empty output, invalid JSON, a
 * non-object or a bad shape; code 1 for a `cniVersion` no spec defines.
 */
export function parseIpamResult(stdout: string, configVersion: string): ParsedIpamResult {
  if (stdout.trim() === '') throw decodingError('IPAM plugin returned no result (empty output)');
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch (err) {
    throw decodingError(`failed to parse IPAM result: ${(err as Error).message}`, err);
  }
  raw ??= {}; // Go decodes a literal null into an empty result
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw decodingError('failed to parse IPAM result: not a JSON object');
  const own = (raw as { cniVersion?: unknown }).cniVersion;
  // Neither the result nor the config says: the spec's default, 0.1.0 (as the skel reads it).
  const sourceVersion = typeof own === 'string' && own !== '' ? own : configVersion || '0.1.0';
  try {
    return { sourceVersion, result: parseResult(raw, configVersion, { label: 'IPAM result' }) };
  } catch (err) {
    if (!isCniError(err)) throw err;
    // Keep the skel's classification (6: bad shape, 1: unknown version) and its wording.
    throw new IpamError('result', err.message, {
      code: err.code,
      details: err.details,
      cause: err,
    });
  }
}

function decodingError(msg: string, cause?: unknown): IpamError {
  return new IpamError('result', msg, { code: ErrorCode.DecodingFailure, cause });
}
