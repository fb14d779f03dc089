/**
 * GC (spec 1.1, the reference has none): forward GC to IPAM with the same stdin, and remove this
 * network's masquerade rules whose attachment is not in `cni.dev/valid-attachments`. Every part
 * runs even when another failed; the failures are reported together.
 */
import { isCniError } from '@cnikit/cni-skel';
import { isL3 } from '../config/netconf.js';
import { BridgeError } from '../errors.js';
import type { CommandContext } from './command-context.js';
import { ipam, masquerade } from './effects.js';

/** Runs GC. */
export async function cmdGc(c: CommandContext): Promise<void> {
  const [ipamRun, rulesRun] = await Promise.allSettled([
    isL3(c.conf) ? ipam.gc(c) : Promise.resolve(),
    masquerade.gc(c, c.conf),
  ]);
  const errors: unknown[] = [ipamRun, rulesRun].flatMap((r) =>
    r.status === 'rejected' ? [r.reason as unknown] : [],
  );
  if (errors.length === 0) return;
  // A single delegated error keeps its own code.
  if (errors.length === 1 && isCniError(errors[0])) throw errors[0];
  throw new BridgeError(errors.map((e) => (e as Error).message).join('\n'), { cause: errors[0] });
}
