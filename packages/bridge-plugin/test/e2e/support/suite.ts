/** Shared gating of the privileged suites: root required, and the binary under test must exist. */
import { beforeEach, describe } from 'vitest';
import { isRoot, NOT_ROOT_REASON } from '@cnikit-tools/test-utils';
import { assertCandidateBuilt, CANDIDATE_BRIDGE } from './bridge-binary.js';

/**
 * A describe block for privileged scenarios: skipped without root (the reason in its title),
 * failing with a clear message when the binary under test has not been built.
 */
export function describePrivileged(title: string, body: () => void): void {
  // Generous per-test timeout: a scenario is a few plugin calls, but 2 shared cores can be busy.
  const options = { timeout: 120_000 };
  describe.skipIf(!isRoot)(`${title} (${CANDIDATE_BRIDGE}) [${NOT_ROOT_REASON}]`, options, () => {
    // Per test, not per suite, so that every scenario is reported failed (not skipped).
    beforeEach(() => {
      assertCandidateBuilt();
    });
    body();
  });
}
