/**
 * Waiting on the kernel: a link's operstate (linkwatch delays it by up to a second when events
 * come in bursts) and IPv6 duplicate address detection. Both check at once, then back off; each
 * check is one process (none with a netlink opener). The clock is injectable so tests do not sleep.
 */
import { NetopsError } from './errors.js';
import { query } from './batch/query-batch.js';
import type { AddrInfo } from './parse/addr.js';
import type { LinkInfo } from './parse/link.js';
import { showLink } from './queries.js';
import type { CommandRunner, NetlinkOpener } from './runner.js';

/** Options shared by the waits. */
export interface WaitOptions {
  netns?: string | undefined;
  runner?: CommandRunner | undefined;
  /** Reads over netlink instead of with `ip` where the runtime can (see ApplyOptions). */
  netlink?: NetlinkOpener | undefined;
  /** Sleeps `ms`; default a timer. Tests pass a fake. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * Pauses between operstate checks (after an immediate first one): short at first, since the
 * state is usually there within milliseconds, then longer up to ~2.6 s in all (the reference
 * sleeps 0, 50, 500, 1000, 1000 ms).
 */
export const OPERSTATE_DELAYS_MS: readonly number[] = [5, 20, 50, 100, 200, 400, 800, 1000];

/** Options of {@link waitForOperstate}. */
export interface OperstateWaitOptions extends WaitOptions {
  /** Wanted state, default `UP`. */
  want?: string;
  /** Pauses between checks; default {@link OPERSTATE_DELAYS_MS}. */
  delaysMs?: readonly number[];
  /** A reading already made (e.g. by the batch that enslaved the link): used as the first check. */
  initial?: LinkInfo | undefined;
}

const timerSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

async function readLink(name: string, opts: WaitOptions): Promise<LinkInfo> {
  const link = await query(showLink(name), {
    netns: opts.netns,
    runner: opts.runner,
    netlink: opts.netlink,
  });
  if (!link)
    throw new NetopsError(`link ${name} not found`, {
      kind: 'not-found',
      stage: 'wait',
      netns: opts.netns,
    });
  return link;
}

/**
 * Waits until link `name` has operstate `want` (default UP) and returns its last reading. Throws
 * a NetopsError of kind `failed` (stage `wait`) with the last state when it does not get there,
 * `not-found` when the link disappears.
 */
export async function waitForOperstate(
  name: string,
  opts: OperstateWaitOptions = {},
): Promise<LinkInfo> {
  const want = opts.want ?? 'UP';
  const sleep = opts.sleep ?? timerSleep;
  const delays = opts.delaysMs ?? OPERSTATE_DELAYS_MS;
  let link = opts.initial ?? (await readLink(name, opts));
  for (const delay of delays) {
    if (link.operstate === want) return link;
    await sleep(delay);
    link = await readLink(name, opts);
  }
  if (link.operstate === want) return link;
  throw new NetopsError(`link ${name} operstate is ${link.operstate}, not ${want}`, {
    kind: 'failed',
    stage: 'wait',
    netns: opts.netns,
  });
}

/** Options of {@link settleAddresses}. */
export interface SettleOptions extends WaitOptions {
  /** Give up after this long; default 5000 ms (the reference's bound). */
  timeoutMs?: number;
  /** Pauses between checks, the last one repeating; default 10, 20, then 50 ms. */
  delaysMs?: readonly number[];
  /** Milliseconds clock; default `Date.now`. */
  now?: () => number;
}

/**
 * Waits until no IPv6 address of link `name` is tentative (duplicate address detection done) and
 * returns the addresses. Throws a NetopsError (stage `wait`, kind `failed`) as soon as one has
 * failed DAD (dadfailed), or when some are still tentative at the timeout while the link is
 * UP (a link that is not up cannot finish DAD; then its addresses are returned as they are, as
 * the reference does).
 */
export async function settleAddresses(name: string, opts: SettleOptions = {}): Promise<AddrInfo[]> {
  const sleep = opts.sleep ?? timerSleep;
  const now = opts.now ?? Date.now;
  const delays = opts.delaysMs ?? [10, 20, 50];
  const deadline = now() + (opts.timeoutMs ?? 5000);
  for (let attempt = 0; ; attempt++) {
    const link = await readLink(name, opts);
    const failed = link.addresses.find((a) => a.dadfailed);
    if (failed)
      throw new NetopsError(
        `address ${failed.cidr} on ${name} failed duplicate address detection`,
        {
          kind: 'failed',
          stage: 'wait',
          netns: opts.netns,
        },
      );
    const tentative = link.addresses.filter((a) => a.tentative);
    if (tentative.length === 0) return [...link.addresses];
    if (now() >= deadline) {
      if (link.operstate !== 'UP') return [...link.addresses];
      throw new NetopsError(
        `addresses ${tentative.map((a) => a.cidr).join(', ')} on ${name} still tentative`,
        { kind: 'failed', stage: 'wait', netns: opts.netns },
      );
    }
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 50;
    await sleep(Math.max(0, Math.min(delay, deadline - now())));
  }
}
