import { NetopsError } from '../../src/errors.js';

/** The NetopsError `p` rejects with; fails the test when it resolves or rejects with another error. */
export async function rejection(p: Promise<unknown>): Promise<NetopsError> {
  try {
    await p;
  } catch (err) {
    if (NetopsError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}
