/** Version strings: Go's parsing rules and numeric ordering (cni-spec.md §1.3). */
import { describe, expect, it } from 'vitest';
import { compareVersions, isCniError, parseVersion, versionAtLeast } from '../src/index.js';

describe('versions', () => {
  it('parses major[.minor[.patch]] with "" as 0.1.0', () => {
    expect(parseVersion('')).toEqual([0, 1, 0]);
    expect(parseVersion('1')).toEqual([1, 0, 0]);
    expect(parseVersion('0.4')).toEqual([0, 4, 0]);
    expect(parseVersion('1.1.0')).toEqual([1, 1, 0]);
  });

  it('refuses four parts and non-integers with code 6', () => {
    for (const bad of ['1.0.0.0', '1.x.0', 'v1', '1..0', '1.0.0-rc1']) {
      let code: number | undefined;
      try {
        parseVersion(bad);
      } catch (err) {
        code = isCniError(err) ? err.code : -1;
      }
      expect(code, bad).toBe(6);
    }
  });

  it('compares numerically, not as strings', () => {
    expect(compareVersions('0.10.0', '0.4.0')).toBeGreaterThan(0);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
    expect(versionAtLeast('', '0.1.0')).toBe(true);
    expect(versionAtLeast('0.3.1', '0.4.0')).toBe(false);
  });
});
