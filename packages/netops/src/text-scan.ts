/**
 * The character tests behind validate.ts, written as loops over UTF-16 code units. Regular
 * expressions said the same, but a Unicode class (`\s` under the `u` flag) and a lookbehind cost
 * milliseconds to compile on first use in a short-lived plugin, and the first use is on the path
 * to every command's first process. Tested against those expressions over every BMP character.
 */

/** True when `text` holds half of a UTF-16 surrogate pair on its own (not text). */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else return true;
  }
  return false;
}

/**
 * True for a JavaScript white-space or line-terminator character (what `\s` matches), a C0 or C1
 * control character, or DEL.
 */
export function isControlOrSpace(unit: number): boolean {
  return (
    unit <= 0x20 ||
    (unit >= 0x7f && unit <= 0xa0) ||
    unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200a) ||
    unit === 0x2028 ||
    unit === 0x2029 ||
    unit === 0x202f ||
    unit === 0x205f ||
    unit === 0x3000 ||
    unit === 0xfeff
  );
}

/** True for a character iproute2's batch reader treats specially anywhere in a word: `"'#\`. */
export function isBatchSpecial(unit: number): boolean {
  return unit === 0x22 || unit === 0x27 || unit === 0x23 || unit === 0x5c;
}

/** True when some character of `text` passes `test`. */
export function someUnit(text: string, test: (unit: number) => boolean): boolean {
  for (let i = 0; i < text.length; i++) if (test(text.charCodeAt(i))) return true;
  return false;
}

/** The length of `text` in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes, as TextEncoder). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit <= 0xdbff && unit >= 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const isDigit = (unit: number): boolean => unit >= 0x30 && unit <= 0x39;

/** 1 to `max` decimal digits without a leading zero (`0` itself is one). */
export function isPlainDecimal(text: string, max: number): boolean {
  if (text.length === 0 || text.length > max) return false;
  if (text.length > 1 && text.charCodeAt(0) === 0x30) return false;
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** 1 to `max` hexadecimal digits, either case. */
export function isHexDigits(text: string, max: number): boolean {
  if (text.length === 0 || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const hexLetter = (unit >= 0x61 && unit <= 0x66) || (unit >= 0x41 && unit <= 0x46);
    if (!isDigit(unit) && !hexLetter) return false;
  }
  return true;
}
