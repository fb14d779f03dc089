/**
 * DEL's first part: the container link's deletion, started as soon as the config is read. Where
 * the runtime's netlink socket sends in the background (io_uring), the kernel's veth teardown, the
 * longest part of a DEL, runs from here on while DEL starts the IPAM DEL and the rule teardown.
 */
import { startLinkDeletion } from '@cnikit/netops';
import { BridgeError } from '../errors.js';
import { checkIfName } from '../net/names.js';
import { kernelReason } from '../plan/kernel-reason.js';
import { checkNetnsPath } from './add-checks.js';
import type { CommandContext } from './command-context.js';
import { NetnsMissingError, checkNetnsFile } from './netns-file.js';

/** Finishes the link's deletion (waits for it where it runs in the background). */
export type FinishLinkDelete = () => Promise<void>;

/**
 * Starts deleting CNI_IFNAME inside CNI_NETNS and returns what finishes it; a missing netns or
 * link is already done. Over a netlink socket of the runtime's (in the background where it can),
 * else as a batch through the runner's `ip`, sent when finished. A refusal before anything is
 * sent (a bad netns file or name) is reported by the finishing function, so that DEL's other
 * parts still run.
 */
export async function startLinkDelete(c: CommandContext): Promise<FinishLinkDelete> {
  try {
    return await start(c);
  } catch (err) {
    const reason = err instanceof Error ? err : new BridgeError(String(err));
    return () => Promise.reject(reason);
  }
}

async function start(c: CommandContext): Promise<FinishLinkDelete> {
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
  if (conn === undefined) return () => deleteByBatch(c, ifName);
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

/** The deletion as an `ip` batch line (runtimes without netlink sockets), loaded when needed. */
async function deleteByBatch(c: CommandContext, ifName: string): Promise<void> {
  const [{ IpBatch }, { WordedBatch, applyWorded }] = await Promise.all([
    import('@cnikit/netops'),
    import('../plan/worded-batch.js'),
  ]);
  const batch = new WordedBatch(new IpBatch()).with(
    (reason) => `failed to delete "${ifName}": ${reason}`,
    (b) => b.linkDel(ifName, { tolerate: ['not-found'] }),
  );
  await applyWorded(batch, { runner: c.rt.runner, netns: c.req.netns });
}
