/**
 * The waits of ADD and DEL: on netops' waits with the reference's timing and error texts, the host
 * veth must forward (oper-state UP) and, with `enabledad`, IPv6 DAD must end.
 */
import { isNetopsError, settleAddresses, waitForOperstate } from '@cnikit/netops';
import { BridgeError } from '../errors.js';
import type { BridgeRuntime } from '../runtime/runtime.js';

/** The reference's back-off between port-state checks, in ms (after the first check). */
export const PORT_STATE_BACKOFF_MS = [50, 500, 1000, 1000] as const;

/** The kernel's operstate as Go's netlink prints it (`UP` -> `up`, `LOWERLAYERDOWN` -> `lower-layer-down`). */
export function goOperState(state: string | undefined): string {
  const map: Record<string, string> = {
    LOWERLAYERDOWN: 'lower-layer-down',
    NOTPRESENT: 'not-present',
  };
  const s = state ?? 'NOTPRESENT';
  return map[s] ?? s.toLowerCase();
}

/**
 * Resolves with the port's MAC once it is oper-up; the first check is immediate, and made from
 * this process where the runtime has netlink or a /sys of its own namespace (the usual case then
 * costs no process and no sleep).
 * @throws BridgeError `bridge port in error state: <state>` after the last check.
 */
export async function waitPortUp(
  rt: BridgeRuntime,
  port: string,
  ifindex: number | undefined,
): Promise<{ mac: string | undefined }> {
  const quick = ifindex === undefined ? undefined : rt.readPortState?.(port, ifindex);
  if (quick?.operstate === 'UP') return quick;
  try {
    return await waitForOperstate(port, {
      runner: rt.runner,
      netlink: rt.netlink,
      sleep: (ms) => rt.sleep(ms),
      delaysMs: PORT_STATE_BACKOFF_MS,
    });
  } catch (err) {
    if (isNetopsError(err)) {
      const state = /operstate is (\S+)/.exec(err.message)?.[1];
      throw new BridgeError(`bridge port in error state: ${goOperState(state)}`, { cause: err });
    }
    throw err;
  }
}

/** Waits for IPv6 DAD on the container interface (5 s bound); a failed DAD is an error. */
export async function settleContainer(
  rt: BridgeRuntime,
  netns: string,
  ifName: string,
): Promise<void> {
  try {
    await settleAddresses(ifName, {
      netns,
      runner: rt.runner,
      netlink: rt.netlink,
      sleep: (ms) => rt.sleep(ms),
    });
  } catch (err) {
    throw new BridgeError(`failed to settle addresses of "${ifName}": ${(err as Error).message}`, {
      cause: err,
    });
  }
}
