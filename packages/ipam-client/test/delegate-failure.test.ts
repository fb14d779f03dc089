import { describe, expect, it } from 'vitest';
import { delegateFailure } from '../src/delegate-failure.ts';

const run = (stdout: string, stderr = '', exitCode = 1) => ({ stdout, stderr, exitCode });

describe('delegateFailure', () => {
  it('passes code, msg and details through unchanged', () => {
    const err = delegateFailure(run('{"code":11,"msg":"try later","details":"d"}', 'log'));
    expect(err).toMatchObject({ reason: 'delegate', code: 11, message: 'try later', details: 'd' });
  });

  it('keeps code 0 when the delegate says 0', () => {
    expect(delegateFailure(run('{"code":0,"msg":"odd"}')).code).toBe(0);
  });

  it('uses 999 for an error object without a usable code', () => {
    expect(delegateFailure(run('{"msg":"no code"}'))).toMatchObject({
      code: 999,
      message: 'no code',
    });
    expect(delegateFailure(run('{"code":-3,"msg":"neg"}')).code).toBe(999);
    expect(delegateFailure(run('{"code":"7","msg":"str"}')).code).toBe(999);
  });

  it('falls back to stderr when the error object has no msg', () => {
    expect(delegateFailure(run('{"code":7}', 'why')).message).toBe('netplugin failed: "why"');
  });

  it('quotes stderr when stdout is empty or blank', () => {
    expect(delegateFailure(run('', 'boom')).message).toBe('netplugin failed: "boom"');
    expect(delegateFailure(run(' \n', 'a "q"\n')).message).toBe('netplugin failed: "a \\"q\\"\\n"');
  });

  it('says there was no message, with the exit status, when both are empty', () => {
    expect(delegateFailure(run('', '', 2)).message).toBe(
      'netplugin failed with no error message: exit status 2',
    );
  });

  it.each(['not json', '[1]', '"text"'])('says stdout %j could not be parsed', (stdout) => {
    const err = delegateFailure(run(stdout));
    expect(err.code).toBe(999);
    expect(err.message).toContain(
      `netplugin failed but error parsing its diagnostic message ${JSON.stringify(stdout)}: `,
    );
  });
});
