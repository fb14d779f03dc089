/**
 * DEL: delete the container link first, then release the IP (so an address is never handed out
 * while still configured). Masquerade and spoof-check rules are removed by the attachment's
 * identity beside the link deletion, also when the netns or the link is already gone (the
 * reference leaks them then). Repeated DELs succeed.
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

/** Runs DEL. */
export async function cmdDel(c: CommandContext): Promise<void> {
  const { conf, log } = c;
  const step = log.step('delete link and rules');
  const rules = teardownRules(c);
  const link = deleteLink(c);
  const [linkDone, ruleErrors] = await Promise.all([
    link.then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    ),
    rules,
  ]);
  step.end();
  if (linkDone !== undefined) throw linkDone;
  if (isL3(conf)) {
    const ipamStep = log.step('IPAM DEL');
    await ipam.del(c);
    ipamStep.end();
  }
  if (ruleErrors.length > 0)
    throw new BridgeError(ruleErrors.map((e) => e.message).join('\n'), { cause: ruleErrors[0] });
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
  await applyWorded(batch, { runner: rt.runner, netns: req.netns });
}

/**
 * Removes the attachment's rules; masquerade failures are returned (the reference reports them),
 * spoof-check failures only printed (as the reference).
 */
async function teardownRules(c: CommandContext): Promise<Error[]> {
  const errors: Error[] = [];
  await Promise.all([
    isL3(c.conf) && c.conf.ipMasq
      ? masquerade.teardown(c).catch((err: unknown) => {
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
