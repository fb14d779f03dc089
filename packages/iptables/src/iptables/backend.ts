/**
 * The iptables backend's effects: one `iptables-save -t nat` read and at most one
 * `iptables-restore --noflush --wait` write per family and operation (a setup of a new chain and a
 * teardown that knows the addresses try their write first and read only when it fails).
 */
import type { IpCidr, IpFamily } from '@cnikit/netops';
import type { NetfilterBackendName } from '../errors.js';
import { NetfilterError, NetfilterErrorCode, rejections, throwCollected } from '../errors.js';
import { commandFailed, runChecked, runCommand, type ExecContext } from '../runner.js';
import {
  missingRules,
  planFreshSetup,
  planKnownTeardown,
  planSetup,
  planTeardown,
  restoreText,
  staleContainers,
  type IptablesIdentity,
} from './plan.js';
import { parseSave, type SavedTable } from './save-parse.js';

export const FAMILIES: readonly IpFamily[] = [4, 6];

const TOOLS: Record<IpFamily, { backend: NetfilterBackendName; save: string; restore: string }> = {
  4: { backend: 'iptables', save: 'iptables-save', restore: 'iptables-restore' },
  6: { backend: 'ip6tables', save: 'ip6tables-save', restore: 'ip6tables-restore' },
};

/** Reads the nat table of one family. */
export async function readNat(ctx: ExecContext, family: IpFamily): Promise<SavedTable> {
  const tools = TOOLS[family];
  const result = await runChecked(ctx, { backend: tools.backend, argv: [tools.save, '-t', 'nat'] });
  return parseSave(result.stdout);
}

/**
 * Reads the nat table of one family, or undefined when that family's tools are not usable here
 * (not installed, or the kernel refuses): teardown and GC then have nothing to remove there.
 * A timeout is still an error.
 */
export async function readNatIfUsable(
  ctx: ExecContext,
  family: IpFamily,
): Promise<SavedTable | undefined> {
  const tools = TOOLS[family];
  const spec = { backend: tools.backend, argv: [tools.save, '-t', 'nat'] };
  let result;
  try {
    result = await runCommand(ctx, spec);
  } catch {
    return undefined;
  }
  if (result.timedOut) throw commandFailed(spec, result);
  return result.exitCode === 0 ? parseSave(result.stdout) : undefined;
}

/** Applies restore lines to the nat table of one family in one transaction (nothing for none). */
export async function restoreNat(
  ctx: ExecContext,
  family: IpFamily,
  lines: readonly string[],
): Promise<void> {
  if (lines.length === 0) return;
  const tools = TOOLS[family];
  await runChecked(ctx, {
    backend: tools.backend,
    argv: [tools.restore, '--noflush', '--wait'],
    input: restoreText(lines),
  });
}

/** The families the addresses belong to, in FAMILIES order. */
export function familiesOf(ips: readonly IpCidr[]): IpFamily[] {
  return FAMILIES.filter((f) => ips.some((ip) => ip.address.family === f));
}

/** Runs `work` for each family concurrently and reports every failure. */
async function eachFamily(
  families: readonly IpFamily[],
  work: (family: IpFamily) => Promise<void>,
): Promise<void> {
  const settled = await Promise.allSettled(families.map(work));
  throwCollected(rejections(settled));
}

/** Adds the container's chain, its rules and its POSTROUTING jumps where missing. */
export async function iptablesSetup(
  ctx: ExecContext,
  id: IptablesIdentity,
  ips: readonly IpCidr[],
  /** The IPv4 nat table when the backend probe has just read it. */
  natV4?: SavedTable,
): Promise<void> {
  await eachFamily(familiesOf(ips), async (family) => {
    const table = family === 4 && natV4 ? natV4 : await readNat(ctx, family);
    await restoreNat(ctx, family, planSetup(id, family, ips, table));
  });
}

/**
 * Removes the containers' chains and every rule pointing at them or carrying their comment, in the
 * given families' nat tables (default both).
 */
export async function iptablesTeardown(
  ctx: ExecContext,
  ids: readonly IptablesIdentity[],
  families: readonly IpFamily[] = FAMILIES,
): Promise<void> {
  await eachFamily(families, async (family) => {
    const table = await readNatIfUsable(ctx, family);
    if (table) await restoreNat(ctx, family, planTeardown(ids, table));
  });
}

/**
 * Sets up a container whose chain does not exist yet without reading: per family one restore of
 * {@link planFreshSetup}. True when every family's transaction applied; a family whose restore
 * failed (its chain exists, as on a repeated ADD, or iptables is not usable here) is left as it
 * was, for {@link iptablesSetup} to read and plan.
 */
export async function iptablesSetupFresh(
  ctx: ExecContext,
  id: IptablesIdentity,
  ips: readonly IpCidr[],
): Promise<boolean> {
  return restoreEachBlind(ctx, familiesOf(ips), (family) => planFreshSetup(id, family, ips));
}

/**
 * Deletes exactly what setup wrote for one container whose addresses are known, without reading:
 * per family one restore (one process instead of two). True when every family's transaction
 * applied, i.e. the rules were there, whole, as setup writes them; false when any failed, which
 * leaves that family's table as it was (a transaction applies entirely or not at all; something
 * differs: already gone, legacy forms, extra rules) for {@link iptablesTeardown} to read and plan.
 */
export async function iptablesTeardownExact(
  ctx: ExecContext,
  id: IptablesIdentity,
  ips: readonly IpCidr[],
): Promise<boolean> {
  return restoreEachBlind(ctx, familiesOf(ips), (family) => planKnownTeardown(id, family, ips));
}

/** One restore per family, concurrently, of lines written without reading: true if all applied. */
async function restoreEachBlind(
  ctx: ExecContext,
  families: readonly IpFamily[],
  plan: (family: IpFamily) => string[],
): Promise<boolean> {
  const applied = await Promise.all(
    families.map((family) =>
      restoreNat(ctx, family, plan(family)).then(
        () => true,
        () => false,
      ),
    ),
  );
  return applied.every(Boolean);
}

/** Removes the rules of every container of `network` whose ID is not in `keep`. */
export async function iptablesGc(
  ctx: ExecContext,
  network: string,
  keep: ReadonlySet<string>,
  identity: (containerId: string) => IptablesIdentity,
): Promise<void> {
  await eachFamily(FAMILIES, async (family) => {
    const table = await readNatIfUsable(ctx, family);
    if (!table) return;
    const stale = staleContainers(network, keep, table).map(identity);
    await restoreNat(ctx, family, planTeardown(stale, table));
  });
}

/** Throws a missing-rules error naming the absent rules, if any. */
export async function iptablesCheck(
  ctx: ExecContext,
  id: IptablesIdentity,
  ips: readonly IpCidr[],
): Promise<void> {
  await eachFamily(familiesOf(ips), async (family) => {
    const missing = missingRules(id, family, ips, await readNat(ctx, family));
    if (missing.length > 0)
      throw new NetfilterError(
        NetfilterErrorCode.MissingRules,
        `${TOOLS[family].backend}: missing masquerade rules: ${missing.join('; ')}`,
        { backend: TOOLS[family].backend },
      );
  });
}
