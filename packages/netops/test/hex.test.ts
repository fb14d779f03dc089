import { describe, expect, it } from 'vitest';
import { bytesOfHex, hexBytes } from '../src/hex.js';

describe('hex bytes', () => {
  it('writes two lower-case digits per byte, joined by the separator', () => {
    expect(hexBytes(new Uint8Array([0x0a, 0x58, 0xff, 0, 0x10]), ':')).toBe('0a:58:ff:00:10');
    expect(hexBytes(new Uint8Array([1, 0xab, 0xcd, 0xef]))).toBe('01abcdef');
    expect(hexBytes(new Uint8Array([]), ':')).toBe('');
  });

  it('equals the Array.from form it replaced on every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const oracle = Array.from(all, (b) => b.toString(16).padStart(2, '0')).join('-');
    expect(hexBytes(all, '-')).toBe(oracle);
  });

  it('reads the pairs back', () => {
    expect([...bytesOfHex('0a:58:FF:00:10:7f', ':')]).toEqual([0x0a, 0x58, 0xff, 0, 0x10, 0x7f]);
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesOfHex(hexBytes(all, ':'), ':')).toEqual(all);
  });
});
