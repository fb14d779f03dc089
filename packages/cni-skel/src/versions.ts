/** Spec versions, their parsing and ordering. */

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

/** True when `v` is one of the released spec versions. */
export const isSpecVersion = (v: string): v is SpecVersion =>
  (ALL_VERSIONS as readonly string[]).includes(v);

/** The result family a version belongs to: legacy ip4/ip6 (0.1-0.2), 0.3-0.4, or 1.x. */
export type ResultFamily = '020' | '040' | '100';

export function resultFamily(version: SpecVersion): ResultFamily {
  if (version === '0.1.0' || version === '0.2.0') return '020';
  if (version === '0.3.0' || version === '0.3.1' || version === '0.4.0') return '040';
  return '100';
}
