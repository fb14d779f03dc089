/** Checklist D (cni-spec.md §8): version negotiation and the per-command version gates. */
import { describe, expect, it } from 'vitest';
import { invokePlugin } from '../src/testing.js';
import { DEFAULT_CONFIG, env, expectCniError, stubPlugin } from './helpers.js';

const withVersion = (cniVersion?: string) => {
  const { cniVersion: _drop, ...rest } = DEFAULT_CONFIG;
  return cniVersion === undefined ? rest : { ...rest, cniVersion };
};

describe('D. version negotiation', () => {
  it('D.24 an unknown version is error(1) with the Go details text', async () => {
    const { plugin, calls } = stubPlugin();
    const out = await invokePlugin(plugin, { env: env(), stdin: withVersion('2.0.0') });
    expectCniError(out, 1);
    expect(out.error?.msg).toBe('incompatible CNI versions');
    expect(out.error?.details).toBe(
      'config is "2.0.0", plugin supports ["0.1.0" "0.2.0" "0.3.0" "0.3.1" "0.4.0" "1.0.0" "1.1.0"]',
    );
    expect(calls).toHaveLength(0);
  });

  it('D.25 no cniVersion means 0.1.0: error(1) for a plugin supporting only 1.x', async () => {
    const { plugin, calls } = stubPlugin({ supportedVersions: ['1.0.0', '1.1.0'] });
    const out = await invokePlugin(plugin, { env: env(), stdin: withVersion() });
    expectCniError(out, 1);
    expect(out.error?.details).toMatch(/^config is "0\.1\.0"/);
    expect(calls).toHaveLength(0);
  });

  it('D.26 no cniVersion with 0.1.0 supported: handler runs, result in the 0.1.0 shape', async () => {
    const { plugin, calls } = stubPlugin();
    const out = await invokePlugin(plugin, { env: env(), stdin: withVersion() });
    expect(out.exitCode).toBe(0);
    expect(calls[0]?.cniVersion).toBe('0.1.0');
    expect(out.result).toEqual({
      cniVersion: '0.1.0',
      ip4: { ip: '10.1.0.5/16', gateway: '10.1.0.1' },
    });
  });

  it('D.26 an empty cniVersion is read as 0.1.0 too', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, { env: env(), stdin: withVersion('') });
    expect(out.result).toMatchObject({ cniVersion: '0.1.0' });
  });

  it('D.27 "1.0" is not an exact member of the list: error(1)', async () => {
    const { plugin, calls } = stubPlugin();
    const out = await invokePlugin(plugin, { env: env(), stdin: withVersion('1.0') });
    expectCniError(out, 1);
    expect(out.error?.msg).toBe('incompatible CNI versions');
    expect(calls).toHaveLength(0);
  });

  it('D.27 an unparsable version on ADD or DEL is a membership failure, error(1)', async () => {
    const { plugin } = stubPlugin();
    for (const command of ['ADD', 'DEL']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_COMMAND: command }),
        stdin: withVersion('1.x.0'),
      });
      expectCniError(out, 1);
    }
  });

  it('D.28 CHECK at 0.3.1 is error(1) "config version does not allow CHECK"', async () => {
    const { plugin, calls } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'CHECK' }),
      stdin: withVersion('0.3.1'),
    });
    expectCniError(out, 1);
    expect(out.error?.msg).toBe('config version does not allow CHECK');
    expect(calls).toHaveLength(0);
  });

  it('D.29 CHECK, GC and STATUS with an unparsable version are error(6)', async () => {
    const { plugin, calls } = stubPlugin();
    for (const command of ['CHECK', 'GC', 'STATUS']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_COMMAND: command }),
        stdin: withVersion('1.x.0'),
      });
      expectCniError(out, 6);
    }
    const tooMany = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'CHECK' }),
      stdin: withVersion('1.0.0.0'),
    });
    expectCniError(tooMany, 6);
    expect(tooMany.error?.msg).toContain('too many parts');
    expect(calls).toHaveLength(0);
  });

  it('D.29 a cniVersion that is not a string is error(6)', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: env(),
      stdin: { ...DEFAULT_CONFIG, cniVersion: 1 },
    });
    expectCniError(out, 6);
    expect(out.error?.msg).toContain('decoding version from network config');
  });

  it('D.30 GC and STATUS at 1.0.0 are error(1) "config version does not allow ..."', async () => {
    const { plugin, calls } = stubPlugin();
    for (const command of ['GC', 'STATUS']) {
      const out = await invokePlugin(plugin, {
        env: env({ CNI_COMMAND: command }),
        stdin: withVersion('1.0.0'),
      });
      expectCniError(out, 1);
      expect(out.error?.msg).toBe(`config version does not allow ${command}`);
    }
    expect(calls).toHaveLength(0);
  });

  it('D.31 a plugin supporting only 0.3.1 refuses CHECK at 0.4.0 with error(1)', async () => {
    const { plugin, calls } = stubPlugin({ supportedVersions: ['0.3.1'] });
    const out = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'CHECK' }),
      stdin: withVersion('0.4.0'),
    });
    expectCniError(out, 1);
    expect(out.error?.msg).toBe('plugin version does not allow CHECK');
    expect(calls).toHaveLength(0);
  });

  it('D.31 a newer plugin version that is not listed exactly still fails membership', async () => {
    const { plugin } = stubPlugin({ supportedVersions: ['0.4.0', '1.1.0'] });
    const out = await invokePlugin(plugin, {
      env: env({ CNI_COMMAND: 'CHECK' }),
      stdin: withVersion('1.0.0'),
    });
    expectCniError(out, 1);
    expect(out.error?.msg).toBe('incompatible CNI versions');
  });
});
