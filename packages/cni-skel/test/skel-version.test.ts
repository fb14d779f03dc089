/** Checklist A (cni-spec.md §8): VERSION and the "about" text. */
import { describe, expect, it } from 'vitest';
import { runPlugin } from '../src/index.js';
import { invokePlugin } from '../src/testing.js';
import { ALL, expectCniError, stubPlugin } from './helpers.js';

describe('A. VERSION', () => {
  it('A.1 VERSION with no other env and empty stdin prints every version, no handler runs', async () => {
    const { plugin, calls } = stubPlugin();
    const out = await invokePlugin(plugin, { env: { CNI_COMMAND: 'VERSION' } });
    expect(out.exitCode).toBe(0);
    expect(out.result).toEqual({ cniVersion: '1.1.0', supportedVersions: ALL });
    expect(calls).toHaveLength(0);
  });

  it('A.1 VERSION never reads stdin (a failing stdin is not touched)', async () => {
    const { plugin } = stubPlugin();
    let stdout = '';
    const code = await runPlugin(plugin, {
      env: { CNI_COMMAND: 'VERSION' },
      readStdin: () => Promise.reject(new Error('stdin must not be read')),
      writeStdout: (t) => {
        stdout += t;
        return Promise.resolve();
      },
      writeStderr: () => undefined,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ cniVersion: '1.1.0', supportedVersions: ALL });
  });

  it('A.2 VERSION output is compact JSON + newline whatever stdin holds', async () => {
    const { plugin } = stubPlugin();
    const expected = `${JSON.stringify({ cniVersion: '1.1.0', supportedVersions: ALL })}\n`;
    for (const stdin of ['{"cniVersion":"1.1.0"}', 'garbage{']) {
      const out = await invokePlugin(plugin, { env: { CNI_COMMAND: 'VERSION' }, stdin });
      expect(out.exitCode).toBe(0);
      expect(out.stdout).toBe(expected);
    }
  });

  it('A.3 VERSION lists exactly the declared versions in their order', async () => {
    const { plugin } = stubPlugin({ supportedVersions: ['0.4.0', '1.0.0'] });
    const out = await invokePlugin(plugin, { env: { CNI_COMMAND: 'VERSION' } });
    expect(out.result).toEqual({ cniVersion: '1.1.0', supportedVersions: ['0.4.0', '1.0.0'] });
  });

  it('A.4 no CNI_COMMAND with an about string: about + versions on stderr, exit 0', async () => {
    const { plugin, calls } = stubPlugin({ about: 'CNI stub plugin v9' });
    for (const command of [undefined, '']) {
      const out = await invokePlugin(plugin, { env: { CNI_COMMAND: command } });
      expect(out.exitCode).toBe(0);
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain('CNI stub plugin v9');
      expect(out.stderr).toContain(
        'CNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0',
      );
    }
    expect(calls).toHaveLength(0);
  });

  it('A.5 no CNI_COMMAND and no about string: error(4) naming CNI_COMMAND', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, { env: {} });
    expectCniError(out, 4);
    expect(out.error?.msg).toBe('required env variables [CNI_COMMAND] missing');
  });
});
