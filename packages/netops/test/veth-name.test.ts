import { describe, expect, it } from 'vitest';
import { isValidIfName, randomVethName } from '../src/index.js';

describe('randomVethName', () => {
  it('is veth + 8 hex digits from 4 random bytes', () => {
    expect(randomVethName(() => Uint8Array.from([0x1a, 0x2b, 0x3c, 0x4d]))).toBe('veth1a2b3c4d');
    const name = randomVethName();
    expect(name).toMatch(/^veth[0-9a-f]{8}$/);
    expect(isValidIfName(name)).toBe(true);
  });
});
