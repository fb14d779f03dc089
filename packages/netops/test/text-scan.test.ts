import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasLoneSurrogate,
  isBatchSpecial,
  isControlOrSpace,
  isHexDigits,
  isPlainDecimal,
  someUnit,
  utf8Length,
} from '../src/text-scan.js';

// The expressions the loops replace: the loops must answer exactly as these do.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const BATCH_SPECIAL = /["'#\\]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every BMP code unit but the surrogates (those are tested in pairs below). */
const bmpUnits = Array.from({ length: 0x10000 }, (_, unit) => unit).filter(
  (unit) => unit < 0xd800 || unit > 0xdfff,
);

describe('character classes', () => {
  it('isControlOrSpace matches \\s, C0, DEL and C1 on every BMP character', () => {
    const differing = bmpUnits.filter(
      (unit) => isControlOrSpace(unit) !== CONTROL_OR_SPACE.test(`a${String.fromCharCode(unit)}b`),
    );
    expect(differing).toEqual([]);
  });

  it('isBatchSpecial matches exactly the quotes, "#" and the backslash', () => {
    const special = bmpUnits.filter(isBatchSpecial).map((unit) => String.fromCharCode(unit));
    expect(special.sort()).toEqual(['"', '#', "'", '\\']);
    expect(
      bmpUnits.every((u) => isBatchSpecial(u) === BATCH_SPECIAL.test(String.fromCharCode(u))),
    ).toBe(true);
  });

  it('someUnit finds a matching character anywhere, and none in an empty text', () => {
    expect(someUnit('', isBatchSpecial)).toBe(false);
    expect(someUnit('eth0', isBatchSpecial)).toBe(false);
    expect(someUnit('eth#', isBatchSpecial)).toBe(true);
    expect(someUnit('#eth', isBatchSpecial)).toBe(true);
  });
});

describe('lone surrogates', () => {
  const hi = '\uD83D';
  const lo = '\uDE00';
  it.each([
    ['', false],
    ['eth0', false],
    [`${hi}${lo}`, false],
    [`a${hi}${lo}b${hi}${lo}`, false],
    [hi, true],
    [lo, true],
    [`${lo}${hi}`, true],
    [`${hi}${hi}${lo}`, true],
    [`${hi}${lo}${lo}`, true],
    [`a${hi}`, true],
    [`${lo}a`, true],
  ])('%j: %s', (text, lone) => {
    expect(hasLoneSurrogate(text)).toBe(lone);
    expect(LONE_SURROGATE.test(text)).toBe(lone);
  });

  it('agrees with the expression on random texts of surrogates and ASCII', () => {
    const unit = fc.constantFrom(0x61, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d, 0xde00);
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 8 }), (units) => {
        const text = String.fromCharCode(...units);
        expect(hasLoneSurrogate(text)).toBe(LONE_SURROGATE.test(text));
      }),
    );
  });
});

describe('utf8Length', () => {
  const encoder = new TextEncoder();
  it('equals the encoded length on every BMP character and on pairs', () => {
    const differing = bmpUnits.filter((unit) => {
      const text = String.fromCharCode(unit);
      return utf8Length(text) !== encoder.encode(text).length;
    });
    expect(differing).toEqual([]);
    expect(utf8Length('a\uD83D\uDE00b')).toBe(6);
  });

  it('counts a lone surrogate as TextEncoder does (U+FFFD, 3 bytes)', () => {
    for (const text of ['\uD83D', '\uDE00x', 'x\uD83Dy', '\uDE00\uD83D'])
      expect(utf8Length(text)).toBe(encoder.encode(text).length);
  });
});

describe('digit runs', () => {
  const PLAIN_DECIMAL = /^(0|[1-9][0-9]{0,2})$/;
  const HEXTET = /^[0-9a-fA-F]{1,4}$/;
  const texts = (units: readonly number[]): string[] => {
    const out = [''];
    for (const a of units) {
      out.push(String.fromCharCode(a));
      for (const b of [0x30, 0x31, 0x39, 0x61, 0x46]) {
        out.push(String.fromCharCode(a, b), String.fromCharCode(b, a));
        out.push(
          String.fromCharCode(b, b, a),
          String.fromCharCode(a, b, b, b),
          'fff' + String.fromCharCode(a, b),
        );
      }
    }
    return out;
  };
  const units = Array.from({ length: 0x180 }, (_, unit) => unit);

  it('isPlainDecimal(text, 3) matches 1-3 digits without a leading zero', () => {
    const differing = texts(units).filter((t) => isPlainDecimal(t, 3) !== PLAIN_DECIMAL.test(t));
    expect(differing).toEqual([]);
  });

  it('isHexDigits(text, 4) matches 1-4 hexadecimal digits', () => {
    const differing = texts(units).filter((t) => isHexDigits(t, 4) !== HEXTET.test(t));
    expect(differing).toEqual([]);
  });
});
