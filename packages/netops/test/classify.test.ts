import { describe, expect, it } from 'vitest';
import { errnoKind } from '../src/classify.js';
import { classifyMessage } from '../src/index.js';
import { rtnetlinkAnswer } from '../src/netlink/strerror.js';

// Texts printed by iproute2 6.1, nsenter and dash on this machine.
describe('classifyMessage', () => {
  it.each([
    ['RTNETLINK answers: File exists', 'exists'],
    ['Error: ipv4: Address already assigned.', 'exists'],
    ['Cannot find device "nope0"', 'not-found'],
    ['Device "nope0" does not exist.', 'not-found'],
    ['Error: ipv4: Address not found.', 'not-found'],
    ['RTNETLINK answers: No such process', 'not-found'],
    ['nsenter: cannot open /x: No such file or directory', 'not-found'],
    [
      'sh: 1: cannot create /proc/sys/net/ipv6/conf/eth9/accept_dad: Directory nonexistent',
      'not-found',
    ],
    ['RTNETLINK answers: Operation not supported', 'not-supported'],
    ['RTNETLINK answers: Device or resource busy', 'busy'],
    ['RTNETLINK answers: Invalid argument', 'invalid'],
    ['Error: Nexthop has invalid gateway.', 'invalid'],
    ['Object "-6" is unknown, try "ip help".', 'invalid'],
    ['RTNETLINK answers: Operation not permitted', 'failed'],
    ['RTNETLINK answers: Network is unreachable', 'failed'],
  ])('%s -> %s', (text, kind) => {
    expect(classifyMessage(text)).toBe(kind);
  });

  it('lets a line give a text a more precise meaning first', () => {
    const text = 'RTNETLINK answers: Cannot assign requested address';
    expect(classifyMessage(text)).toBe('failed');
    expect(classifyMessage(text, [[/Cannot assign requested address/, 'not-found']])).toBe(
      'not-found',
    );
  });
});

describe('errnoKind', () => {
  it('says what classifyMessage says of the netlink failure text, for every errno', () => {
    const errnos = Array.from({ length: 200 }, (_, i) => i + 1);
    const differing = errnos.filter(
      (errno) => errnoKind(errno) !== classifyMessage(rtnetlinkAnswer(errno)),
    );
    expect(differing).toEqual([]);
    expect(errnoKind(17)).toBe('exists');
    expect(errnoKind(19)).toBe('not-found');
  });
});
