/**
 * The client inside a real plugin process (run by bun from source): the delegate's stderr reaches
 * the plugin's stderr and nothing but the plugin's own output reaches its stdout (case 59), with
 * the default spawner and with a Bun.spawn runner.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cniEnv } from '@cnikit-tools/test-utils';
import { FakeIpam } from './fake-ipam.ts';

const BUN = join(import.meta.dirname, '../../../node_modules/.bin/bun');
const FIXTURE = join(import.meta.dirname, 'fixtures/upper-plugin.ts');
const CONFIG = '{"cniVersion":"1.0.0","name":"n","type":"upper","ipam":{"type":"fake-ipam"}}';

describe.skipIf(!existsSync(BUN))('a plugin process delegating to IPAM', () => {
  let fake: FakeIpam;
  beforeEach(() => {
    fake = new FakeIpam();
  });
  afterEach(() => {
    fake.cleanup();
  });

  const runPlugin = (runner: 'node' | 'bun') => {
    const run = spawnSync(BUN, ['--conditions=@cnikit/source', FIXTURE], {
      input: CONFIG,
      encoding: 'utf8',
      env: {
        ...process.env,
        ...cniEnv({
          command: 'ADD',
          containerId: 'c1',
          netns: '/run/netns/x',
          ifName: 'eth0',
          path: fake.bin.dir,
        }),
        UPPER_RUNNER: runner,
      },
    });
    return { exitCode: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it.each(['node', 'bun'] as const)(
    '59: delegate stderr goes to the plugin stderr only (%s spawner)',
    (runner) => {
      fake.on('ADD', {
        stdout: '{"ips":[{"address":"10.1.0.5/16"}]}',
        stderr: 'delegate-says-hello\n',
      });
      const run = runPlugin(runner);
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toContain('delegate-says-hello');
      expect(run.stdout).not.toContain('delegate-says-hello');
      expect(JSON.parse(run.stdout)).toEqual({
        cniVersion: '1.1.0',
        ips: [{ address: '10.1.0.5/16' }],
      });
      expect(fake.stdin('ADD').toString()).toBe(CONFIG);
      expect(fake.env('ADD').CNI_COMMAND).toBe('ADD');
    },
  );

  it.each(['node', 'bun'] as const)(
    '56/57: a delegate failure becomes the plugin error on stdout (%s spawner)',
    (runner) => {
      fake.on('ADD', { exitCode: 1, stdout: '{"code":11,"msg":"try later"}', stderr: 'why\n' });
      const run = runPlugin(runner);
      expect(run.exitCode).toBe(1);
      expect(JSON.parse(run.stdout)).toEqual({ code: 11, msg: 'try later' });
      expect(run.stderr).toContain('why');
    },
  );
});
