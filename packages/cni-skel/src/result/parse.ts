/**
 * Reading a result of any spec version (a prevResult, an IPAM plugin's output): stamp a missing
 * version, validate the shape of its family, and up-convert it to the internal 1.1.0 form.
 */
import { CniError, ErrorCode } from '../errors.js';
import { DEFAULT_VERSION, isSpecVersion, resultFamily, type ResultFamily } from '../versions.js';
import { toInternal, type LooseBody } from './convert.js';
import { resultBodyProblems } from './schema.js';
import type { Result } from './types.js';

/** Options of {@link parseResult}. */
export interface ParseResultOptions {
  /** What the result is, for error messages ("prevResult", "IPAM result"); default "CNI result". */
  label?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The version a raw result claims, with "" or a missing one stamped with the fallback (issue #895). */
function claimedVersion(raw: Record<string, unknown>, fallback: string, label: string): string {
  const version = raw.cniVersion;
  if (version === undefined || version === null || version === '')
    return fallback === '' ? DEFAULT_VERSION : fallback;
  if (typeof version !== 'string')
    throw new CniError(ErrorCode.DecodingFailure, `invalid ${label}: cniVersion: expected string`);
  return version;
}

/** The result family of a raw result, after stamping; throws like {@link parseResult}. */
export function rawResultFamily(
  raw: unknown,
  fallbackVersion: string,
  label = 'CNI result',
): ResultFamily {
  if (!isRecord(raw))
    throw new CniError(ErrorCode.DecodingFailure, `invalid ${label}: expected a JSON object`);
  const version = claimedVersion(raw, fallbackVersion, label);
  if (!isSpecVersion(version))
    throw new CniError(
      ErrorCode.IncompatibleCniVersion,
      `unsupported CNI result version ${JSON.stringify(version)}`,
      { details: `${label} is version ${JSON.stringify(version)}` },
    );
  return resultFamily(version);
}

/**
 * Parses a result object of any spec version (0.1.0 to 1.1.0 shapes) into the internal 1.1.0
 * {@link Result} (cniVersion "1.1.0", serialization rules applied). A missing or "" cniVersion is
 * taken to be `fallbackVersion` (the config's version). Throws CniError code 6 naming the field on
 * a bad shape, and code 1 for a version it does not know.
 */
export function parseResult(
  raw: unknown,
  fallbackVersion: string,
  options: ParseResultOptions = {},
): Result {
  const label = options.label ?? 'CNI result';
  const family = rawResultFamily(raw, fallbackVersion, label);
  const problems = resultBodyProblems(raw, family);
  if (problems.length > 0)
    throw new CniError(ErrorCode.DecodingFailure, `invalid ${label}: ${problems[0]}`, {
      details: problems.length > 1 ? problems.join('; ') : undefined,
    });
  // The checks above are exactly the shape LooseBody describes.
  return toInternal(raw as LooseBody, family);
}
