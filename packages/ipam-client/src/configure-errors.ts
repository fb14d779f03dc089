/**
 * Turning a failed netops batch into the reference's ConfigureIface wording: the failing line is
 * mapped back to the address, link-up or route it was built from.
 */
import { isNetopsError } from '@cnikit/netops';
import { IpamError, isIpamError } from './errors.js';
import type { InterfacePlan, PlannedAddress, PlannedRoute } from './interface-plan.js';

/** What each line of a batch was for, in batch order (read lines are not listed: they come last). */
export type LineDescriptions = Array<
  { op: 'address'; address: PlannedAddress } | { op: 'up' } | { op: 'route'; route: PlannedRoute }
>;

/** The IpamError for a failure while applying `plan` (an IpamError passes through). */
export function describeFailure(
  err: unknown,
  plan: InterfacePlan,
  lines: LineDescriptions,
  netns: string,
): IpamError {
  if (isIpamError(err)) return err;
  const ifName = plan.ifName;
  const fail = (msg: string) => new IpamError('configure', msg, { cause: err });
  if (!isNetopsError(err)) return fail(`failed to configure "${ifName}": ${messageOf(err)}`);

  if (err.stage === 'netns') return fail(`failed to open netns "${netns}": ${err.message}`);
  // netops' settle wording already names the link and the address.
  if (err.stage === 'wait') return fail(err.message);
  if (err.stage === 'sysctl')
    return fail(`failed to enable IPv6 for interface "${ifName}": ${err.message}`);
  const described = err.line === undefined ? undefined : lines[err.line - 1];
  if (err.stage !== 'command' || described === undefined)
    return fail(`failed to configure "${ifName}" in ${netns}: ${err.message}`);

  const why = lineMessage(err.outcomes, err.line) ?? err.message;
  if (err.kind === 'not-found' && /cannot find device/i.test(why))
    return fail(`failed to lookup "${ifName}": ${why}`);
  switch (described.op) {
    case 'address':
      return fail(`failed to add IP addr ${described.address.cidr} to "${ifName}": ${why}`);
    case 'up':
      return fail(`failed to set "${ifName}" UP: ${why}`);
    case 'route': {
      const r = described.route;
      const route = `${r.dst} via ${r.via ?? '<nil>'} dev ${ifName}`;
      const attrs = `Scope: ${r.scope ?? 0}, Table: ${r.table ?? 0}, Priority: ${r.metric ?? 0}`;
      return fail(`failed to add route '${route} (${attrs})': ${why}`);
    }
  }
}

/** The error text iproute2 printed for batch line `line` (1-based), when netops kept it. */
function lineMessage(
  outcomes: readonly unknown[] | undefined,
  line: number | undefined,
): string | undefined {
  if (outcomes === undefined || line === undefined) return undefined;
  const outcome = outcomes[line - 1];
  if (typeof outcome !== 'object' || outcome === null) return undefined;
  const message = (outcome as { message?: unknown }).message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
