import { describe, expect, it } from 'vitest';
import { CniError, ErrorCode, isCniError, toCniError } from '../src/index.js';

describe('CniError', () => {
  it('prints the spec error object, details only when set', () => {
    const err = new CniError(ErrorCode.TryAgainLater, 'try later');
    expect(err.toJSON('1.1.0')).toEqual({ cniVersion: '1.1.0', code: 11, msg: 'try later' });
    expect(new CniError(1234, 'x', { details: 'd' }).toJSON()).toEqual({
      code: 1234,
      msg: 'x',
      details: 'd',
    });
  });

  it('is recognised by its global brand and wraps other throws as 999', () => {
    expect(isCniError(new CniError(7, 'bad'))).toBe(true);
    expect(isCniError(new Error('potato'))).toBe(false);
    const wrapped = toCniError(new Error('potato'));
    expect([wrapped.code, wrapped.msg]).toEqual([999, 'potato']);
  });
});
