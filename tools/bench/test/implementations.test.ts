import { describe, expect, it } from 'vitest';
import { BenchError } from '../src/errors.js';
import { resolveImplementations, type ProgramProbe } from '../src/implementations.js';
import { readSettings } from '../src/settings.js';

function probe(files: string[]): ProgramProbe {
  return { isExecutableFile: (p) => files.includes(p), isReadableFile: (p) => files.includes(p) };
}

const REF = '/usr/lib/cni/bridge';
const OURS = '/repo/packages/bridge-plugin/dist/bridge';
const ENTRY = '/repo/packages/bridge-plugin/dist/cli.js';

describe('resolveImplementations', () => {
  it('runs the reference, our executable and the Node entry under node', () => {
    const settings = readSettings({ CNIKIT_BRIDGE_NODE_ENTRY: ENTRY }, '/repo');
    const { implementations, skipped } = resolveImplementations(
      settings,
      '/usr/bin/node',
      probe([REF, OURS, ENTRY]),
    );
    expect(implementations.map((i) => [i.id, i.argv, i.traced])).toEqual([
      ['ref', [REF], false],
      ['ours', [OURS], true],
      ['node', ['/usr/bin/node', ENTRY], true],
    ]);
    expect(skipped).toEqual([]);
  });

  it('skips the Node entry, with the reason, when it is unset or not built', () => {
    const unset = resolveImplementations(readSettings({}, '/repo'), 'node', probe([REF, OURS]));
    expect(unset.skipped).toEqual([
      { id: 'node', label: 'node entry', reason: 'CNIKIT_BRIDGE_NODE_ENTRY is unset' },
    ]);
    const missing = resolveImplementations(
      readSettings({ CNIKIT_BRIDGE_NODE_ENTRY: ENTRY }, '/repo'),
      'node',
      probe([REF, OURS]),
    );
    expect(missing.skipped[0]?.reason).toContain(`${ENTRY} does not exist`);
    expect(missing.implementations.map((i) => i.id)).toEqual(['ref', 'ours']);
  });

  it('fails clearly when our executable is missing', () => {
    expect(() => resolveImplementations(readSettings({}, '/repo'), 'node', probe([REF]))).toThrow(
      /bridge-plugin\/dist\/bridge is missing.*npx nx run @cnikit\/bridge-plugin:build/,
    );
  });

  it('fails clearly when the reference is missing', () => {
    expect(() => resolveImplementations(readSettings({}, '/repo'), 'node', probe([OURS]))).toThrow(
      BenchError,
    );
  });
});
