/**
 * The bin entry, run as a real process with the default io. Bun runs the TypeScript directly; the
 * "@cnikit/source" condition points it at the skel's sources, so no build is needed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bun = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url));
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function runMain(env: Record<string, string>, input = '') {
  const r = spawnSync(bun, ['--conditions=@cnikit/source', main], { env, input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('src/main.ts', () => {
  it('answers CNI_COMMAND=VERSION with compact JSON and exit 0', () => {
    const out = runMain({ CNI_COMMAND: 'VERSION' });
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ cniVersion: '1.1.0' });
  });

  it('prints the about text on stderr when run without CNI_COMMAND', () => {
    const out = runMain({});
    expect([out.status, out.stdout]).toEqual([0, '']);
    expect(out.stderr).toContain('cnikit example plugin "passthrough"');
  });

  it('prints a CNI error on stdout and exits 1 for a bad request', () => {
    const out = runMain({ CNI_COMMAND: 'ADD', CNI_PATH: '/x' }, '{}');
    expect(out.status).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({
      code: 4,
      msg: 'required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME] missing',
    });
  });
});
