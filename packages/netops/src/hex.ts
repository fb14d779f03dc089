/**
 * Bytes as text and back. Loops rather than `Array.from(bytes, mapFn)`: that builtin is compiled
 * on its first use, about 1 ms of a short-lived plugin's start-up in a Bun executable.
 */

/** Each byte as two lower-case hex digits, joined by `separator` (`0a:58:...` for a MAC). */
export function hexBytes(bytes: Uint8Array, separator = ''): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (i > 0) text += separator;
    text += (byte < 16 ? '0' : '') + byte.toString(16);
  }
  return text;
}

/** The bytes of `separator`-joined hex pairs (checked by the caller). */
export function bytesOfHex(text: string, separator: string): Uint8Array {
  const pairs = text.split(separator);
  const bytes = new Uint8Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) bytes[i] = parseInt(pairs[i] as string, 16);
  return bytes;
}
