/** {@link writeSysctls}: sysctls of any namespace, with the cheapest mechanism for it. */
import { applyBatch } from './batch/apply.js';
import { IpBatch } from './batch/ip-batch.js';
import type { CommandRunner, NetnsEnter } from './runner.js';
import { writeOwnSysctls, type SysctlOutcome, type SysctlWrite } from './sysctl.js';

/** Options of {@link writeSysctls}. */
export interface WriteSysctlsOptions {
  /** Namespace path; undefined: the caller's own (written directly, no process). */
  netns?: string | undefined;
  runner?: CommandRunner | undefined;
  /** Root instead of /proc/sys for the own namespace (tests). */
  root?: string | undefined;
  /** Writes them from this process when it can enter the namespace (see ApplyOptions). */
  enterNetns?: NetnsEnter | undefined;
}

/**
 * Writes sysctls (each only when different, unless `always`): directly for the caller's own
 * namespace, else in one `nsenter --net=P -- sh -c ...` process. A failed non-optional write
 * throws a NetopsError (stage `sysctl`); optional failures are in the outcomes.
 */
export async function writeSysctls(
  list: readonly SysctlWrite[],
  opts: WriteSysctlsOptions = {},
): Promise<SysctlOutcome[]> {
  if (opts.netns === undefined) return writeOwnSysctls(list, { root: opts.root });
  const result = await applyBatch(new IpBatch(), {
    netns: opts.netns,
    runner: opts.runner,
    sysctls: list,
    enterNetns: opts.enterNetns,
  });
  return [...result.sysctls];
}
