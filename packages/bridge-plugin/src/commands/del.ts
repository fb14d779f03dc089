/**
 * DEL: the container link, the attachment's rules and the IP allocation are removed side by side
 * (the reference deletes the link, then releases the IP; the parts do not depend on each other, and
 * overlapping the kernel's veth teardown with the IPAM plugin saves most of the shorter one).
 * Masquerade and spoof-check rules go by the attachment's identity, also when the netns or the
 * link is already gone (the reference leaks them then). Repeated DELs succeed; every part runs
 * whatever the others do, and the first failure (link, IPAM, rules) is reported.
 */
import { isL3 } from '../config/netconf.js';
import { BridgeError } from '../errors.js';
import type { CommandContext } from './command-context.js';
import type { FinishLinkDelete } from './del-start.js';
import { ipam, masquerade, spoofCheck } from './effects.js';
import { nextTurn } from './next-turn.js';

/**
 * Runs DEL, given the link's deletion as del-start.ts started it. The kernel's veth teardown is
 * the longest part: where the runtime sends netlink requests in the background (io_uring) it is
 * already running, while the IPAM DEL and the rule teardown start here; elsewhere it is sent once
 * they have reached their spawns (one turn of the event loop), over netlink on this thread where
 * the runtime can, which holds the thread for the teardown while they run.
 */
export async function cmdDel(c: CommandContext, finishLink: FinishLinkDelete): Promise<void> {
  const { conf, log } = c;
  const step = log.step('delete link, rules and IP allocation');
  const others = [isL3(conf) ? ipam.del(c) : undefined, teardownRules(c)] as const;
  for (const p of others) p?.catch(() => undefined);
  await nextTurn();
  const [link, release, ruleErrors] = await Promise.allSettled([finishLink(), ...others]);
  step.end();
  if (link.status === 'rejected') throw link.reason;
  if (release.status === 'rejected') throw release.reason;
  const errors =
    ruleErrors.status === 'fulfilled' ? ruleErrors.value : [ruleErrors.reason as Error];
  if (errors.length > 0)
    throw new BridgeError(errors.map((e) => e.message).join('\n'), { cause: errors[0] });
}

/**
 * Removes the attachment's rules; masquerade failures are returned (the reference reports them),
 * spoof-check failures only printed (as the reference).
 */
async function teardownRules(c: CommandContext): Promise<Error[]> {
  const errors: Error[] = [];
  await Promise.all([
    isL3(c.conf) && c.conf.ipMasq
      ? masquerade
          .teardown(
            c,
            c.req.prevResult?.ips?.map((ip) => ip.address),
          )
          .catch((err: unknown) => {
            errors.push(err instanceof Error ? err : new Error(String(err)));
          })
      : undefined,
    c.conf.macspoofchk
      ? spoofCheck.teardown(c).catch((err: unknown) => {
          c.rt.stderr.write(`bridge: spoof check teardown: ${(err as Error).message}\n`);
        })
      : undefined,
  ]);
  return errors;
}
