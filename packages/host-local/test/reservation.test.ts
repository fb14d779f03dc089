import { describe, expect, it } from 'vitest';
import {
  belongingTo,
  formatReservation,
  isStillValid,
  parseReservation,
} from '../src/reservation.js';

describe('reservation files', () => {
  it('writes and reads the reference bytes', () => {
    expect(formatReservation({ containerId: ' c1 ', ifName: 'eth0' })).toBe('c1\r\neth0');
    expect(parseReservation('c1\r\neth0')).toEqual({ containerId: 'c1', ifName: 'eth0' });
    expect(parseReservation('legacy-id\n')).toEqual({
      containerId: 'legacy-id',
      ifName: undefined,
    });
  });

  const files = [
    { file: 'a', owner: parseReservation('c1\r\neth0') },
    { file: 'b', owner: parseReservation('c1\r\neth1') },
    { file: 'c', owner: parseReservation('c1') },
    { file: 'd', owner: parseReservation('c2') },
  ];

  it('matches an attachment exactly, or its legacy files when it has no exact ones', () => {
    expect(belongingTo(files, { containerId: 'c1', ifName: 'eth0' }).map((f) => f.file)).toEqual([
      'a',
    ]);
    expect(belongingTo(files, { containerId: 'c1', ifName: 'eth9' }).map((f) => f.file)).toEqual([
      'c',
    ]);
    expect(belongingTo(files, { containerId: 'c3', ifName: 'eth0' })).toEqual([]);
  });

  it('keeps in GC what a valid attachment owns, legacy files by container ID', () => {
    const valid = [{ containerId: 'c1', ifName: 'eth0' }];
    expect(files.filter((f) => isStillValid(f.owner, valid)).map((f) => f.file)).toEqual([
      'a',
      'c',
    ]);
    expect(files.filter((f) => isStillValid(f.owner, [])).map((f) => f.file)).toEqual([]);
  });
});
