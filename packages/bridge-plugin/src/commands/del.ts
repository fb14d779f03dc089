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
import { checkIfName } from '../net/names.js';
import { IpBatch } from '@cnikit/netops';
import { WordedBatch, applyWorded } from '../plan/worded-batch.js';
import { checkNetnsPath } from './add-checks.js';
import type { CommandContext } from './command-context.js';
import { ipam, masquerade, spoofCheck } from './effects.js';
import { NetnsMissingError, checkNetnsFile } from './netns-file.js';
import { nextTurn } from './next-turn.js';

/** Runs DEL. */
export async function cmdDel(c: CommandContext): Promise<void> {
  const { conf, log } = c;
  const step = log.step('delete link, rules and IP allocation');
  // The IPAM DEL and the rule teardown are processes: they start first (one turn of the event loop
  // takes them to their spawns), then the link goes, over netlink on this thread where the
  // runtime can, which holds the thread for the kernel's veth teardown while they run.
  const others = [isL3(conf) ? ipam.del(c) : undefined, teardownRules(c)] as const;
  for (const p of others) p?.catch(() => undefined);
  await nextTurn();
  const [link, release, ruleErrors] = await Promise.allSettled([deleteLink(c), ...others]);
  step.end();
  if (link.status === 'rejected') throw link.reason;
  if (release.status === 'rejected') throw release.reason;
  const errors =
    ruleErrors.status === 'fulfilled' ? ruleErrors.value : [ruleErrors.reason as Error];
  if (errors.length > 0)
    throw new BridgeError(errors.map((e) => e.message).join('\n'), { cause: errors[0] });
}

/** Deletes CNI_IFNAME inside CNI_NETNS; a missing netns or link is already done. */
async function deleteLink(c: CommandContext): Promise<void> {
  const { req, rt } = c;
  if (req.netns === '') return;
  try {
    await checkNetnsFile(rt, checkNetnsPath(req.netns));
  } catch (err) {
    if (err instanceof NetnsMissingError) return;
    throw err;
  }
  const ifName = checkIfName(req.ifName, 'interface');
  const batch = new WordedBatch(new IpBatch()).with(
    (reason) => `failed to delete "${ifName}": ${reason}`,
    (b) => b.linkDel(ifName, { tolerate: ['not-found'] }),
  );
  await applyWorded(batch, { runner: rt.runner, netns: req.netns, netlink: rt.netlink });
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
