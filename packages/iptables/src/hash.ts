/**
 * The hashing seam. Names and comments are derived from SHA-512 hex digests; a bun executable can
 * pass `Bun.CryptoHasher`, everything else gets node:crypto, loaded on first use so that importing
 * this package costs nothing until a hash is needed.
 */

/** Returns the lowercase hex SHA-512 digest of the UTF-8 text. */
export type Sha512Hex = (text: string) => string;

let nodeSha512: Sha512Hex | undefined;

/** The default {@link Sha512Hex}: node:crypto, loaded lazily and synchronously. */
export const defaultSha512Hex: Sha512Hex = (text) => {
  if (nodeSha512 === undefined) {
    const crypto = process.getBuiltinModule('node:crypto');
    nodeSha512 = (t) => crypto.createHash('sha512').update(t, 'utf8').digest('hex');
  }
  return nodeSha512(text);
};

/**
 * `prefix` followed by the hex SHA-512 of `text`, cut so the whole string is `length` characters
 * (the reference's hash-with-prefix helper; it refuses the same impossible lengths).
 */
export function hashWithPrefix(
  length: number,
  prefix: string,
  text: string,
  sha512Hex: Sha512Hex = defaultSha512Hex,
): string {
  if (!Number.isInteger(length) || length > 128 || prefix.length >= length)
    throw new RangeError(`cannot hash to ${length} characters with prefix "${prefix}"`);
  return (prefix + sha512Hex(text)).slice(0, length);
}
