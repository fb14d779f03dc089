import { describe, expect, it } from 'vitest';
import { containerMac, isZeroMac, parseGoMac, randomLocalMac } from '../../src/net/mac.js';
import { checkIfName } from '../../src/net/names.js';

describe('mac', () => {
  it('parses the forms Go accepts', () => {
    expect(parseGoMac('02:00:5E:00:53:01')).toHaveLength(6);
    expect(parseGoMac('02-00-5e-00-53-01')).toHaveLength(6);
    expect(parseGoMac('0200.5e00.5301')).toHaveLength(6);
    expect(parseGoMac('02:00:5e:10:00:00:00:01')).toHaveLength(8);
    expect(parseGoMac('02:00-5e:00:53:01')).toBeUndefined();
    expect(parseGoMac('zz:00:5e:00:53:01')).toBeUndefined();
  });
  it('gives the reference texts for refused container MACs', () => {
    expect(containerMac('02-00-5E-00-53-01')).toBe('02:00:5e:00:53:01');
    expect(() => containerMac('nope')).toThrow(
      'failed to make veth pair: address nope: invalid MAC address',
    );
    expect(() => containerMac('02:00:5e:10:00:00:00:01')).toThrow(
      'failed to make veth pair: invalid argument',
    );
    expect(() => containerMac('01:00:5e:00:00:01')).toThrow(
      'failed to make veth pair: cannot assign requested address',
    );
    expect(() => containerMac('00:00:00:00:00:00')).toThrow('cannot assign requested address');
  });
  it('makes local unicast MACs and spots the zero MAC', () => {
    const mac = randomLocalMac(() => new Uint8Array([0xff, 1, 2, 3, 4, 5]));
    expect(mac).toBe('fe:01:02:03:04:05');
    expect(isZeroMac('00:00:00:00:00:00')).toBe(true);
    expect(isZeroMac(mac)).toBe(false);
  });
});

describe('names', () => {
  it('refuses names that cannot be links or would change a command line', () => {
    expect(checkIfName('cni0', 'bridge')).toBe('cni0');
    for (const bad of ['', 'a'.repeat(16), 'a b', 'a/b', '-x', 'x"y', '.', 'a:b'])
      expect(() => checkIfName(bad, 'bridge')).toThrow('invalid bridge name');
  });
});
