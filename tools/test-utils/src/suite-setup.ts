/**
 * Suite setup that fails loudly. When a `beforeAll` hook throws, vitest marks the suite's tests
 * skipped, and a run summary then counts no failure; a missing binary must count as failures.
 */
import { beforeAll, beforeEach } from 'vitest';

/**
 * Runs `setup` once before the current suite's tests; if it throws, every test of the suite
 * fails with that error.
 */
export function setupOrFailEach(setup: () => Promise<void> | void, timeoutMs?: number): void {
  let failure: { error: unknown } | undefined;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = { error };
    }
  }, timeoutMs);
  beforeEach(() => {
    if (failure !== undefined) throw failure.error;
  });
}
