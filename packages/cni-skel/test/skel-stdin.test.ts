/** Checklist C (cni-spec.md §8): stdin decoding, the network name, byte-identical stdin. */
import { describe, expect, it } from 'vitest';
import { MAX_STDIN_BYTES, runPlugin } from '../src/index.js';
import { invokePlugin } from '../src/testing.js';
import { DEFAULT_CONFIG, env, expectCniError, stubPlugin } from './helpers.js';

describe('C. stdin and config', () => {
  it('C.19 stdin that is not a JSON object with a string name is error(6)', async () => {
    const { plugin, calls } = stubPlugin();
    for (const stdin of ['{not json', '[]', '{"name":5}', '"text"', '']) {
      const out = await invokePlugin(plugin, { env: env(), stdin });
      expectCniError(out, 6);
      expect(out.error?.msg).toMatch(/^error unmarshall network config: /);
    }
    expect(calls).toHaveLength(0);
  });

  it('C.20 a config without name is error(7) "missing network name"', async () => {
    const { plugin } = stubPlugin();
    for (const stdin of ['{"cniVersion":"1.1.0","type":"x"}', '{"cniVersion":"1.1.0","name":""}']) {
      const out = await invokePlugin(plugin, { env: env(), stdin });
      expectCniError(out, 7);
      expect(out.error?.msg).toBe('missing network name');
      // The version was decodable, so the error carries it.
      expect(out.error?.cniVersion).toBe('1.1.0');
    }
    // Go decodes JSON null into an empty config: no name.
    expectCniError(await invokePlugin(plugin, { env: env(), stdin: 'null' }), 7);
  });

  it('C.21 names with bad characters are error(7), details = the name; good names pass', async () => {
    const { plugin, calls } = stubPlugin();
    for (const name of ['bad/name', '-net']) {
      const out = await invokePlugin(plugin, { env: env(), stdin: { ...DEFAULT_CONFIG, name } });
      expectCniError(out, 7);
      expect(out.error?.msg).toBe('invalid characters found in network name');
      expect(out.error?.details).toBe(name);
    }
    expect(calls).toHaveLength(0);
    for (const name of ['a', 'net.1_x-y']) {
      const out = await invokePlugin(plugin, { env: env(), stdin: { ...DEFAULT_CONFIG, name } });
      expect(out.exitCode).toBe(0);
    }
    expect(calls.map((c) => c.config.name)).toEqual(['a', 'net.1_x-y']);
  });

  it('C.22 stdin reaches the handler byte-identical, unknown keys kept', async () => {
    const { plugin, calls } = stubPlugin();
    const text =
      '{ "cniVersion": "1.1.0",  "name": "testnet", "type": "stub", "extra": {"deep": [1, 2]},\n' +
      '  "capabilities": {"portMappings": true}, "runtimeConfig": {"portMappings":' +
      ' [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}], "custom": "x"} }';
    const bytes = new TextEncoder().encode(text);
    const out = await invokePlugin(plugin, { env: env(), stdin: bytes });
    expect(out.exitCode).toBe(0);
    const ctx = calls[0];
    expect(ctx?.stdin).toEqual(bytes);
    expect(new TextDecoder().decode(ctx?.stdin)).toBe(text);
    expect(ctx?.rawConfig.extra).toEqual({ deep: [1, 2] });
    expect(ctx?.config).toMatchObject({
      extra: { deep: [1, 2] },
      capabilities: { portMappings: true },
      runtimeConfig: {
        portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
        custom: 'x',
      },
    });
  });

  it('C.23 a failing stdin read is error(5)', async () => {
    const { plugin, calls } = stubPlugin();
    let stdout = '';
    const code = await runPlugin(plugin, {
      env: env(),
      readStdin: () => Promise.reject(new Error('EIO: i/o error, read')),
      writeStdout: (t) => {
        stdout += t;
        return Promise.resolve();
      },
      writeStderr: () => undefined,
    });
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      code: 5,
      msg: 'error reading from stdin: EIO: i/o error, read',
    });
    expect(calls).toHaveLength(0);
  });

  it('C.23 stdin above MAX_STDIN_BYTES is refused with error(5) before decoding', async () => {
    const { plugin, calls } = stubPlugin();
    const big = new Uint8Array(MAX_STDIN_BYTES + 1).fill(0x20);
    const out = await invokePlugin(plugin, { env: env(), stdin: big });
    expectCniError(out, 5);
    expect(out.error?.msg).toContain(`exceeds ${MAX_STDIN_BYTES} bytes`);
    expect(calls).toHaveLength(0);
  });
});
