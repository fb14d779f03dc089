/** Spec versions: the released list, parsing ("major[.minor[.patch]]") and numeric ordering. */
import { CniError, ErrorCode } from './errors.js';

/** Every released spec version, ascending. */
export const ALL_VERSIONS = [
  '0.1.0',
  '0.2.0',
  '0.3.0',
  '0.3.1',
  '0.4.0',
  '1.0.0',
  '1.1.0',
] as const;
export type SpecVersion = (typeof ALL_VERSIONS)[number];

/** The newest spec version this package implements. */
export const CURRENT_VERSION: SpecVersion = '1.1.0';

/** The version a config or result without `cniVersion` (or with "") is taken to be (Go reference). */
export const DEFAULT_VERSION: SpecVersion = '0.1.0';

/** True when `v` is one of the released spec versions. */
export const isSpecVersion = (v: string): v is SpecVersion =>
  (ALL_VERSIONS as readonly string[]).includes(v);

/** The result family a version belongs to: legacy ip4/ip6 (0.1-0.2), 0.3-0.4, or 1.x. */
export type ResultFamily = '020' | '040' | '100';

/** The result family of a released version. */
export function resultFamily(version: SpecVersion): ResultFamily {
  if (version === '0.1.0' || version === '0.2.0') return '020';
  if (version === '0.3.0' || version === '0.3.1' || version === '0.4.0') return '040';
  return '100';
}

/** A parsed version: [major, minor, patch]. */
export type VersionTuple = readonly [number, number, number];

// Go's strconv.Atoi: an optional sign and decimal digits.
const INTEGER = /^[+-]?[0-9]+$/;

function parsePart(part: string, which: string, version: string): number {
  if (!INTEGER.test(part))
    throw new CniError(
      ErrorCode.DecodingFailure,
      `failed to convert ${which} version part ${JSON.stringify(part)} of ${JSON.stringify(version)}`,
    );
  return Number(part);
}

/**
 * Parses "major[.minor[.patch]]" as the Go reference does: "" is 0.1.0, missing parts are 0, four
 * or more parts are refused. Throws a CniError with code 6 (decoding failure) on bad input.
 */
export function parseVersion(version: string): VersionTuple {
  if (version === '') return [0, 1, 0];
  const parts = version.split('.');
  if (parts.length >= 4)
    throw new CniError(
      ErrorCode.DecodingFailure,
      `invalid version ${JSON.stringify(version)}: too many parts`,
    );
  const [major = '', minor, patch] = parts;
  return [
    parsePart(major, 'major', version),
    minor === undefined ? 0 : parsePart(minor, 'minor', version),
    patch === undefined ? 0 : parsePart(patch, 'patch', version),
  ];
}

/** Numeric comparison of two version strings (negative, 0, positive); throws like {@link parseVersion}. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** True when version `a` is at least `b`; throws like {@link parseVersion}. */
export const versionAtLeast = (a: string, b: string): boolean => compareVersions(a, b) >= 0;
