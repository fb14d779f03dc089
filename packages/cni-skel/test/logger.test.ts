/** The operator log: off by default, JSON lines with elapsed ms in a file, never fatal. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, noopLogger } from '../src/index.js';
import { invokePlugin } from '../src/testing.js';
import { DEFAULT_CONFIG, env, stubPlugin } from './helpers.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnikit-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const readLines = (file: string): Array<Record<string, unknown>> =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('logger', () => {
  it('writes JSON lines with level, elapsed ms, context and fields; drops lower levels', () => {
    const file = join(dir, 'a.log');
    const log = createFileLogger({ file, level: 'warn', context: { plugin: 'p' } });
    log.info('hidden');
    log.warn('shown', { n: 1 });
    const step = log.step('ipam');
    expect(step.end({ ok: true })).toBeGreaterThanOrEqual(0);
    log.error('bad');
    const lines = readLines(file);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'shown'],
      ['error', 'bad'],
    ]);
    expect(lines[0]).toMatchObject({ plugin: 'p', n: 1 });
    expect(typeof lines[0]?.elapsedMs).toBe('number');
  });

  it('steps are logged at info with their duration', () => {
    const file = join(dir, 'b.log');
    const log = createFileLogger({ file });
    log.debug('hidden at the default level');
    log.step('veth').end();
    const [line] = readLines(file);
    expect(line).toMatchObject({ level: 'info', msg: 'veth' });
    expect(typeof line?.stepMs).toBe('number');
  });

  it('the no-op logger does nothing and says so', () => {
    expect(noopLogger.enabled).toBe(false);
    expect(noopLogger.step('x').end()).toBe(0);
  });

  it('a plugin logs each run when CNI_LOG_FILE is set (CNI_LOG_LEVEL honoured)', async () => {
    const file = join(dir, 'run.log');
    const { plugin } = stubPlugin();
    await invokePlugin(plugin, {
      env: env({ CNI_LOG_FILE: file, CNI_LOG_LEVEL: 'DEBUG' }),
      stdin: DEFAULT_CONFIG,
    });
    const lines = readLines(file);
    expect(lines.map((l) => l.msg)).toEqual(['handler ADD', 'done']);
    expect(lines[0]).toMatchObject({ plugin: 'stub', command: 'ADD', containerId: 'ctr1' });
    expect(lines[1]).toMatchObject({ exitCode: 0 });
  });

  it('the config can name the log file; the env wins over it', async () => {
    const fromConfig = join(dir, 'conf.log');
    const fromEnv = join(dir, 'env.log');
    const { plugin } = stubPlugin();
    const stdin = { ...DEFAULT_CONFIG, logFile: fromConfig, logLevel: 'info' };
    await invokePlugin(plugin, { env: env(), stdin });
    expect(readLines(fromConfig).at(-1)).toMatchObject({ msg: 'done' });
    await invokePlugin(plugin, { env: env({ CNI_LOG_FILE: fromEnv }), stdin });
    expect(readLines(fromEnv).at(-1)).toMatchObject({ msg: 'done' });
    expect(readLines(fromConfig)).toHaveLength(2);
  });

  it('an unwritable log file costs one stderr line, never the result', async () => {
    const { plugin } = stubPlugin();
    const out = await invokePlugin(plugin, {
      env: env({ CNI_LOG_FILE: join(dir, 'missing-dir', 'x.log') }),
      stdin: DEFAULT_CONFIG,
    });
    expect(out.exitCode).toBe(0);
    expect(out.result).toMatchObject({ cniVersion: '1.1.0' });
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain('cannot write log');
  });
});
