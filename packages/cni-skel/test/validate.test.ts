/**
 * The name checks are character loops (no regular expression to compile at start-up); the Go
 * reference's expressions serve as the oracle here, over every character of the Basic Multilingual
 * Plane in each position, and lengths counted as UTF-8 bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  validateContainerId,
  validateInterfaceName,
  validateNetworkName,
} from '../src/validate.js';

// Go utils' pattern, and Go's ValidateInterfaceName refusal of '/', ':' and unicode.IsSpace.
const GO_VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const GO_BAD_IFNAME_CHAR = /[/:\p{White_Space}]/u;

const accepts = (check: (value: string) => void, value: string): boolean => {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
};

/** One string per BMP code unit in each position that matters: alone, first, inside. */
function samples(): string[] {
  const out: string[] = [];
  for (let c = 1; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    out.push(ch, `${ch}a`, `a${ch}`);
  }
  return out;
}

describe('name checks against the Go expressions', () => {
  const all = samples();

  it('container IDs and network names: [a-zA-Z0-9] first, then also _ . -', () => {
    const differ = all.filter(
      (s) =>
        accepts(validateContainerId, s) !== GO_VALID_NAME.test(s) ||
        accepts(validateNetworkName, s) !== GO_VALID_NAME.test(s),
    );
    expect(differ).toEqual([]);
  });

  it('interface names: no /, : or Unicode whitespace (short names, so length plays no part)', () => {
    const differ = all.filter(
      (s) => s !== '.' && accepts(validateInterfaceName, s) === GO_BAD_IFNAME_CHAR.test(s),
    );
    expect(differ).toEqual([]);
  });

  it('interface name length counts UTF-8 bytes, a lone surrogate as three', () => {
    const fits = (s: string) => accepts(validateInterfaceName, s);
    expect(fits('a'.repeat(15))).toBe(true);
    expect(fits('a'.repeat(16))).toBe(false);
    expect(fits('é'.repeat(7) + 'a')).toBe(true); // 15 bytes
    expect(fits('é'.repeat(8))).toBe(false); // 16 bytes
    expect(fits('€'.repeat(5))).toBe(true); // 15 bytes
    expect(fits('😀'.repeat(3) + 'abc')).toBe(true); // 15 bytes
    expect(fits('😀'.repeat(4))).toBe(false); // 16 bytes
    expect(fits('\ud800'.repeat(5))).toBe(true); // 15 bytes as U+FFFD
    expect(fits('\ud800'.repeat(5) + 'a')).toBe(false);
    for (const s of ['é'.repeat(8), '😀'.repeat(4), '\udc00'.repeat(6), 'a\ud83d'.repeat(4)])
      expect(fits(s)).toBe(new TextEncoder().encode(s).length <= 15);
  });
});
