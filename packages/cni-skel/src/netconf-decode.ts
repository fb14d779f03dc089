/**
 * First look at stdin, as the Go skel does before dispatching: a JSON object with a valid `name`
 * (codes 6 and 7), then the config's `cniVersion` (code 6 when it is not a string).
 */
import { CniError, ErrorCode } from './errors.js';
import { DEFAULT_VERSION } from './versions.js';
import { validateNetworkName } from './validate.js';

const decodeError = (reason: string): CniError =>
  new CniError(ErrorCode.DecodingFailure, `error unmarshall network config: ${reason}`);

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Decodes stdin into the raw config object (code 6 unless it is a JSON object). */
export function decodeNetConf(stdin: Uint8Array): Record<string, unknown> {
  // Not fatal on bad UTF-8: Go's decoder also replaces invalid bytes instead of failing.
  const text = new TextDecoder().decode(stdin);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw decodeError(err instanceof Error ? err.message : String(err));
  }
  // Go decodes `null` into an empty struct: it ends as "missing network name".
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw decodeError(`expected a JSON object, got ${jsonKind(parsed)}`);
  return parsed as Record<string, unknown>;
}

/** Checks the config's `name`: code 6 when not a string, code 7 when missing or invalid. */
export function checkNetworkName(config: Record<string, unknown>): void {
  const name = config.name ?? '';
  if (typeof name !== 'string') throw decodeError(`name: expected string, got ${jsonKind(name)}`);
  validateNetworkName(name);
}

/** The config's `cniVersion` as sent ("" when absent or null); code 6 when not a string. */
export function rawConfigVersion(config: Record<string, unknown>): string {
  const version = config.cniVersion ?? '';
  if (typeof version !== 'string')
    throw new CniError(
      ErrorCode.DecodingFailure,
      `decoding version from network config: cniVersion: expected string, got ${jsonKind(version)}`,
    );
  return version;
}

/** The version the request is in: the config's `cniVersion`, "" read as 0.1.0 (Go reference). */
export const effectiveVersion = (raw: string): string => (raw === '' ? DEFAULT_VERSION : raw);
