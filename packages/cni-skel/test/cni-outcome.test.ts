/** The fuzz suites' judge of a plugin run (tools/test-utils checkCniOutcome): its own false alarms. */
import { checkCniOutcome } from '@cnikit-tools/test-utils';
import { describe, expect, it } from 'vitest';

const failure = (msg: string) => ({
  exitCode: 1,
  stdout: `${JSON.stringify({ cniVersion: '0.2.0', code: 1, msg })}\n`,
  stderr: '',
});

describe('checkCniOutcome', () => {
  it("accepts the reference's own conversion error", () => {
    expect(checkCniOutcome(failure('cannot convert: no valid IP addresses'))).toMatchObject({
      code: 1,
    });
  });

  it.each([
    'Cannot convert undefined or null to object',
    'Cannot convert a BigInt value to a number',
    "Cannot read properties of undefined (reading 'ips')",
    'x.map is not a function',
  ])('rejects an engine message: %s', (msg) => {
    expect(() => checkCniOutcome(failure(msg))).toThrow('an engine error reached the error object');
  });
});
