/** Checklist F (cni-spec.md §8): CNI_ARGS with Go types.LoadArgs semantics, plus ctx.args. */
import { describe, expect, it } from 'vitest';
import { isCniError, parseCniArgs } from '../src/index.js';
import { invokePlugin } from '../src/testing.js';
import { DEFAULT_CONFIG, env, stubPlugin } from './helpers.js';

function failure(raw: string, declared: string[]): { code: number; msg: string } {
  try {
    parseCniArgs(raw, declared);
  } catch (err) {
    if (isCniError(err)) return { code: err.code, msg: err.msg };
    throw err;
  }
  throw new Error(`parseCniArgs(${raw}) did not fail`);
}

describe('F. CNI_ARGS', () => {
  it('F.37 declared keys are returned as strings', () => {
    expect(parseCniArgs('FOO=BAR;ABC=123', ['FOO', 'ABC'])).toEqual({ FOO: 'BAR', ABC: '123' });
  });

  it('F.38 undeclared keys are an error unless IgnoreUnknown is 1/true in any case', () => {
    expect(failure('FOO=BAR;UNKNOWN=1', ['FOO'])).toEqual({
      code: 4,
      msg: 'ARGS: unknown args ["UNKNOWN=1"]',
    });
    expect(failure('A=1;B=2', []).msg).toBe('ARGS: unknown args ["A=1" "B=2"]');
    for (const flag of ['1', 'true', 'True', 'TRUE']) {
      expect(parseCniArgs(`FOO=BAR;UNKNOWN=1;IgnoreUnknown=${flag}`, ['FOO'])).toEqual({
        FOO: 'BAR',
        IgnoreUnknown: flag,
      });
    }
    expect(failure('UNKNOWN=1;IgnoreUnknown=0', []).msg).toBe('ARGS: unknown args ["UNKNOWN=1"]');
    expect(failure('UNKNOWN=1;IgnoreUnknown=false', []).msg).toContain('unknown args');
  });

  it('F.39 malformed input: bad IgnoreUnknown, A=B=C, trailing ";", a bare key; "" is no args', () => {
    expect(failure('IgnoreUnknown=maybe', []).msg).toBe(
      'ARGS: error parsing value of pair "IgnoreUnknown=maybe": boolean unmarshal error: invalid input maybe',
    );
    expect(failure('A=B=C', ['A']).msg).toBe('ARGS: invalid pair "A=B=C"');
    expect(failure('FOO=BAR;', ['FOO']).msg).toBe('ARGS: invalid pair ""');
    expect(failure('A', ['A']).msg).toBe('ARGS: invalid pair "A"');
    expect(parseCniArgs('', ['FOO'])).toEqual({});
  });

  it('F.40 keys are case-sensitive: "mac" does not set MAC', () => {
    expect(failure('mac=c2:11:22:33:44:55', ['MAC']).msg).toBe(
      'ARGS: unknown args ["mac=c2:11:22:33:44:55"]',
    );
    expect(parseCniArgs('mac=x;IgnoreUnknown=1', ['MAC'])).not.toHaveProperty('MAC');
  });

  it('a later duplicate wins, and a key named __proto__ stays plain data', () => {
    expect(parseCniArgs('K=1;K=2', ['K'])).toEqual({ K: '2' });
    const parsed = parseCniArgs('__proto__=x', ['__proto__']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('handlers get the raw CNI_ARGS and a lenient parse of it', async () => {
    const { plugin, calls } = stubPlugin();
    const raw = 'IgnoreUnknown=1;K8S_POD_NAME=p;junk;=x;IP=10.1.0.9/16;A=b=c';
    await invokePlugin(plugin, { env: env({ CNI_ARGS: raw }), stdin: DEFAULT_CONFIG });
    expect(calls[0]?.args.raw).toBe(raw);
    expect({ ...calls[0]?.args.values }).toEqual({
      IgnoreUnknown: '1',
      K8S_POD_NAME: 'p',
      IP: '10.1.0.9/16',
      A: 'b=c',
    });
  });
});
