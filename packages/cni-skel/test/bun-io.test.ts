/** bunIo: the skel's io on a Bun-shaped global (a fake here: the tests run on Node). */
import { describe, expect, it } from 'vitest';
import { bunIo, runPlugin, definePlugin } from '../src/index.js';

function fakeBun(stdin: string) {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const stdout = { name: 'stdout' };
  const stderr = { name: 'stderr' };
  const bun = {
    stdin: { bytes: () => Promise.resolve(new TextEncoder().encode(stdin)) },
    stdout,
    stderr,
    write: (destination: unknown, data: string) => {
      (destination === stdout ? out.stdout : out.stderr).push(data);
      return Promise.resolve(data.length);
    },
  };
  return { bun, out };
}

describe('bunIo', () => {
  it('reads stdin and writes the answer through Bun.write to Bun.stdout', async () => {
    const { bun, out } = fakeBun('{"cniVersion":"1.0.0","name":"n","type":"t"}');
    const plugin = definePlugin({ name: 't', add: () => ({ cniVersion: '1.1.0' }), del() {} });
    const code = await runPlugin(plugin, bunIo(bun, { CNI_COMMAND: 'VERSION' }));
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout.join(''))).toMatchObject({ cniVersion: '1.1.0' });
    expect(out.stderr).toEqual([]);
  });

  it('sends diagnostics to Bun.stderr', () => {
    const { bun, out } = fakeBun('');
    bunIo(bun, {}).writeStderr('note\n');
    expect(out.stderr).toEqual(['note\n']);
  });
});
