import { describe, expect, it } from 'vitest';
import { canonicalAddressText } from '../src/address-text.ts';

describe('canonicalAddressText (tokens as iptables-save and nft print them)', () => {
  it('canonicalizes address tokens and leaves others alone', () => {
    expect(canonicalAddressText('fd00:0::5/128')).toBe('fd00::5/128');
    expect(canonicalAddressText('CNI-abc')).toBe('CNI-abc');
    expect(canonicalAddressText('MASQUERADE')).toBe('MASQUERADE');
  });

  it('writes addresses as glibc inet_ntop does', () => {
    expect(canonicalAddressText('0:0:0:0:0:ffff:a00:1')).toBe('::ffff:10.0.0.1');
    expect(canonicalAddressText('::102:304/128')).toBe('::1.2.3.4/128');
    expect(canonicalAddressText('FF00::/8')).toBe('ff00::/8');
    expect(canonicalAddressText('10.0.0.5/32')).toBe('10.0.0.5/32');
  });

  it('leaves malformed addresses as they are', () => {
    expect(canonicalAddressText('010.0.0.1/8')).toBe('010.0.0.1/8');
    expect(canonicalAddressText('fd00::1::2')).toBe('fd00::1::2');
  });
});
