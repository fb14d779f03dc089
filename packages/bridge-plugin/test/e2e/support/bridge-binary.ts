/**
 * Which bridge binary the e2e and differential suites test: CNIKIT_BRIDGE_BIN, else this
 * package's dist/bridge (see @cnikit-tools/test-utils bridgeUnderTest). The suites fail, not skip,
 * when it is missing. Tests of behaviour the reference 1.1.1 lacks are tagged `[ours-only]` and
 * skipped, with the reason in their title, when the binary under test is the reference.
 */
import {
  bridgeUnderTest,
  bridgeUnderTestPath,
  isReferenceBridge,
  REFERENCE_BRIDGE,
} from '@cnikit-tools/test-utils';

export { REFERENCE_BRIDGE };

/** The binary under test (it may not exist yet; see assertCandidateBuilt). */
export const CANDIDATE_BRIDGE = bridgeUnderTestPath();

/**
 * True when the binary under test is the reference, or a wrapper of it that the caller marks
 * with CNIKIT_BRIDGE_IS_REFERENCE=1.
 */
export const CANDIDATE_IS_REFERENCE =
  isReferenceBridge(CANDIDATE_BRIDGE) || process.env.CNIKIT_BRIDGE_IS_REFERENCE === '1';

/** Title tag of tests for behaviour the reference 1.1.1 does not have. */
export const OURS_ONLY = CANDIDATE_IS_REFERENCE
  ? '[ours-only: skipped, the binary under test is the reference 1.1.1]'
  : '[ours-only]';

/** Throws a clear error (how to build it, or how to choose another) unless the binary exists. */
export function assertCandidateBuilt(): void {
  bridgeUnderTest();
}
