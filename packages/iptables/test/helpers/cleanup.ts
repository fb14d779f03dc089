/**
 * Cleanup of what an integration test creates (sandboxes, reference networks), on success and
 * failure alike: `track` registers a thing, and after each test of the enclosing describe block
 * every tracked thing is cleaned up, newest first, even when an earlier cleanup fails.
 */
import { afterEach } from 'vitest';

/** Anything with a cleanup, e.g. a Sandbox or a ReferenceBridge. */
export interface Cleanable {
  cleanup(): unknown;
}

/** Registers the afterEach hook (call it inside `describe`) and returns `track`. */
export function cleanupAfterEach(): <T extends Cleanable>(thing: T) => T {
  const tracked: Cleanable[] = [];
  afterEach(async () => {
    const failures: unknown[] = [];
    for (const thing of tracked.splice(0).reverse()) {
      try {
        await thing.cleanup();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  });
  return (thing) => {
    tracked.push(thing);
    return thing;
  };
}
