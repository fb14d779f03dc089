import { describe, expect, it } from 'vitest';
import { checkVlan, collectVlanTrunk, type VlanTrunk } from '../../src/config/vlan.js';

// The upstream collectVlanTrunk table (reference-bridge.md §3): 4 success and 9 failure entries.
const minID = 100;
const maxID = 105;
const id1 = 101;
const id2 = 110;
const negative = -1;
const large = 4096;

describe('collectVlanTrunk succeeds', () => {
  it.each<[string, VlanTrunk[], number[] | undefined]>([
    ['an empty VLAN trunk configuration', [], undefined],
    ['a range', [{ minID, maxID }], [100, 101, 102, 103, 104, 105]],
    ['ids only', [{ id: id1 }, { id: id2 }], [101, 110]],
    [
      'ids and a range, deduplicated and sorted',
      [{ id: id2 }, { minID, maxID }, { id: id1 }],
      [100, 101, 102, 103, 104, 105, 110],
    ],
  ])('with %s', (_title, trunks, vids) => {
    expect(collectVlanTrunk(trunks)).toEqual(vids);
  });
});

describe('collectVlanTrunk fails', () => {
  it.each<[string, VlanTrunk[], string]>([
    [
      'maxID missing',
      [{ minID }],
      'minID and maxID should be configured simultaneously, maxID is missing',
    ],
    [
      'minID missing',
      [{ maxID }],
      'minID and maxID should be configured simultaneously, minID is missing',
    ],
    ['negative minID', [{ minID: negative, maxID }], 'incorrect trunk minID parameter'],
    ['minID above 4094', [{ minID: large, maxID }], 'incorrect trunk minID parameter'],
    ['maxID above 4094', [{ minID, maxID: large }], 'incorrect trunk maxID parameter'],
    ['negative maxID', [{ minID, maxID: negative }], 'incorrect trunk maxID parameter'],
    ['id above 4094', [{ id: large }], 'incorrect trunk id parameter'],
    ['negative id', [{ id: negative }], 'incorrect trunk id parameter'],
    [
      'minID above maxID',
      [{ minID: maxID, maxID: minID }],
      'minID is greater than maxID in trunk parameter',
    ],
  ])('with %s', (_title, trunks, message) => {
    expect(() => collectVlanTrunk(trunks)).toThrow(message);
  });
});

describe('vlan range', () => {
  it('accepts 0 and refuses -100 and 5000', () => {
    expect(() => checkVlan(0)).not.toThrow();
    expect(() => checkVlan(-100)).toThrow('invalid VLAN ID -100 (must be between 0 and 4094)');
    expect(() => checkVlan(5000)).toThrow('invalid VLAN ID 5000 (must be between 0 and 4094)');
  });
  it('treats a null trunk entry as empty (the reference would crash)', () => {
    expect(collectVlanTrunk([undefined, { id: 3 }])).toEqual([3]);
  });
});
