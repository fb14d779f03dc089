import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertBatchWord,
  assertIfName,
  assertNetnsPath,
  IpBatch,
  ifNameProblem,
  isNetopsError,
  isUnicastMac,
  isValidIfName,
  normalizeMac,
} from '../src/index.js';

describe('interface names', () => {
  it.each(['eth0', 'br0.100', 'veth1a2b3c4d', 'a', 'x'.repeat(15), 'cni-podman1', 'ü'.repeat(7)])(
    'accepts %j',
    (name) => {
      expect(isValidIfName(name)).toBe(true);
      expect(assertIfName(name)).toBe(name);
    },
  );

  it.each([
    ['', /empty/],
    ['x'.repeat(16), /longer than 15 bytes/],
    ['é'.repeat(8), /longer than 15 bytes/],
    ['.', /"\."/],
    ['..', /"\."/],
    ['a b', /whitespace/],
    ['a\tb', /whitespace/],
    ['a\nb', /whitespace/],
    ['a\u0000b', /control/],
    ['a\u007fb', /control/],
    ['a\u2028b', /whitespace/],
    ['a/b', /"\/"/],
    ['a:b', /":"/],
    ['a"b', /quote/],
    ["'ab", /quote/],
    ['a#b', /quote, "#"/],
    ['a\\', /quote, "#" or "\\"/],
  ])('refuses %j', (name, why) => {
    expect(ifNameProblem(name)).toMatch(why);
    try {
      assertIfName(name);
      expect.unreachable();
    } catch (err) {
      expect(isNetopsError(err, 'invalid')).toBe(true);
      expect((err as Error).message).toContain('invalid interface name');
    }
  });
});

describe('MACs', () => {
  it('normalises to lowercase with colons', () => {
    expect(normalizeMac('0A:58:0A:16:00:05')).toBe('0a:58:0a:16:00:05');
    expect(normalizeMac('0a-58-0a-16-00-05')).toBe('0a:58:0a:16:00:05');
  });

  it.each([
    '',
    '0a:58:0a:16:00',
    '0a:58:0a:16:00:05:01',
    '0a:58-0a:16:00:05',
    'zz:58:0a:16:00:05',
    '0a580a160005',
  ])('refuses %j', (mac) => {
    expect(() => normalizeMac(mac)).toThrowError(/invalid MAC/);
  });

  it('tells unicast from multicast', () => {
    expect(isUnicastMac('0a:58:0a:16:00:05')).toBe(true);
    expect(isUnicastMac('01:00:5e:00:00:01')).toBe(false);
  });
});

describe('netns paths', () => {
  it.each(['/proc/123/ns/net', '/run/netns/cni-1234', '/var/run/netns/x_y-z.1'])(
    'accepts %j',
    (p) => {
      expect(assertNetnsPath(p)).toBe(p);
    },
  );

  it.each([
    '',
    'relative/x',
    '/run/netns/a b',
    '/run/netns/a\nlink del dev br0',
    '/a/../b',
    '/a#b',
    '/a"b',
  ])('refuses %j', (p) => {
    expect(() => assertNetnsPath(p)).toThrowError(/invalid network namespace path/);
  });
});

describe('batch injection', () => {
  it('refuses newline, quote, comment and continuation tricks in every field', () => {
    const attempts: Array<() => unknown> = [
      () => new IpBatch().addrAdd('eth0', '10.0.0.1/24\nlink del dev br0'),
      () => new IpBatch().linkSet('eth0 up\nlink del dev br0', { up: true }),
      () => new IpBatch().linkSet('eth0', { master: 'br0#' }),
      () => new IpBatch().linkSet('eth0', { mac: '0a:58:0a:16:00:05 up' }),
      () => new IpBatch().routeAdd({ dst: '10.0.0.0/8', dev: '"eth0' }),
      () => new IpBatch().routeAdd({ dst: 'default', via: '10.0.0.1\\' }),
      () =>
        new IpBatch().vethAdd({ name: 'a', peerName: 'b', peerNetns: '/proc/1/ns/net netns x' }),
      () => new IpBatch().bridgeAdd("br0'"),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrowError();
      try {
        attempt();
      } catch (err) {
        expect(isNetopsError(err, 'invalid')).toBe(true);
      }
    }
  });

  it('turns any accepted name into exactly the words it was given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (name) => {
        let text: string;
        try {
          text = new IpBatch().linkSet(name, { up: true }).text();
        } catch (err) {
          expect(isNetopsError(err, 'invalid')).toBe(true);
          return;
        }
        // iproute2's reader: one line, split on blanks, no quotes, comments or continuations.
        expect(text.endsWith('\n')).toBe(true);
        const line = text.slice(0, -1);
        expect(line).not.toMatch(/[\n\r"'#\\]/);
        expect(line.split(/[ \t\r\n]+/)).toEqual(['link', 'set', 'dev', name, 'up']);
      }),
    );
  });

  it('checks each word again when a line is added by hand', () => {
    expect(() => assertBatchWord('ok')).not.toThrow();
    expect(() => assertBatchWord('')).toThrowError(/refusing batch word/);
    expect(() =>
      new IpBatch().add({
        words: ['link', 'del', 'dev', 'x\nlink'],
        tolerate: [],
        undo: undefined,
        hints: [],
      }),
    ).toThrowError(/refusing batch word/);
  });
});
