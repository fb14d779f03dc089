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
import { IpBatch, startLinkDeletion } from '@cnikit/netops';
import { WordedBatch, applyWorded, kernelReason } from '../plan/worded-batch.js';
import { checkNetnsPath } from './add-checks.js';
import type { CommandContext } from './command-context.js';
import { ipam, masquerade, spoofCheck } from './effects.js';
import { NetnsMissingError, checkNetnsFile } from './netns-file.js';
import { nextTurn } from './next-turn.js';

/** Runs DEL. */
export async function cmdDel(c: CommandContext): Promise<void> {
  const { conf, log } = c;
  const step = log.step('delete link, rules and IP allocation');
  // The kernel's veth teardown is the longest part. Where the runtime sends netlink requests in
  // the background (io_uring), the deletion is handed over first and runs while the IPAM DEL and
  // the rule teardown start; elsewhere it is sent after they have reached their spawns (one turn
  // of the event loop), over netlink on this thread where the runtime can, which holds the thread
  // for the teardown while they run.
  const finishLink = await startLinkDelete(c).catch(
    (err: unknown) => (): Promise<void> =>
      Promise.reject(err instanceof Error ? err : new BridgeError(String(err))),
  );
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
 * Starts deleting CNI_IFNAME inside CNI_NETNS and returns what finishes it; a missing netns or
 * link is already done. Over a netlink socket of the runtime's (in the background where it can),
 * else as a batch through the runner's `ip`.
 */
async function startLinkDelete(c: CommandContext): Promise<() => Promise<void>> {
  const { req, rt } = c;
  const nothing = (): Promise<void> => Promise.resolve();
  if (req.netns === '') return nothing;
  try {
    await checkNetnsFile(rt, checkNetnsPath(req.netns));
  } catch (err) {
    if (err instanceof NetnsMissingError) return nothing;
    throw err;
  }
  const ifName = checkIfName(req.ifName, 'interface');
  const failed = (err: unknown): BridgeError =>
    new BridgeError(`failed to delete "${ifName}": ${kernelReason((err as Error).message)}`, {
      cause: err,
    });
  const conn = await rt.netlink?.(req.netns);
  if (conn === undefined) {
    const batch = new WordedBatch(new IpBatch()).with(
      (reason) => `failed to delete "${ifName}": ${reason}`,
      (b) => b.linkDel(ifName, { tolerate: ['not-found'] }),
    );
    return async () => {
      await applyWorded(batch, { runner: rt.runner, netns: req.netns });
    };
  }
  let finish: () => unknown;
  try {
    finish = startLinkDeletion(conn, ifName);
  } catch (err) {
    conn.close();
    throw failed(err);
  }
  return () => {
    try {
      finish(); // 'deleted' or 'absent': both are done
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(failed(err));
    } finally {
      conn.close();
    }
  };
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
