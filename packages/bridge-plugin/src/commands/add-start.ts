/**
 * ADD's first part, a module of its own so that it runs before the rest of ADD is loaded: the
 * inputs checked and the netns opened (a failure here has touched nothing), then the IPAM plugin
 * started. Its process (start-up, file lock, allocation) is the longest part of an ADD; the rest of
 * ADD loads and sets up the host side while it runs.
 */
import type { Result } from '@cnikit/cni-skel';
import { checkAddInputs, type AddInputs } from './add-checks.js';
import type { CommandContext } from './command-context.js';
import { ipam } from './effects.js';
import { openNetns } from './netns-file.js';
import { nextTurn } from './next-turn.js';

/** What {@link startAdd} hands to cmdAdd. */
export interface StartedAdd {
  inputs: AddInputs;
  /**
   * The IPAM call: its result, or undefined for a network without IPAM. cmdAdd settles it and, if
   * a later step fails, releases the allocation once it has settled.
   */
  ipam: Promise<Result | undefined>;
}

/** Checks ADD's inputs and the netns, then starts the IPAM plugin (taken to its spawn). */
export async function startAdd(c: CommandContext): Promise<StartedAdd> {
  const inputs = checkAddInputs(c.conf, c.req);
  await openNetns(c.rt, c.req.netns);
  const started = inputs.l3 ? ipam.add(c) : Promise.resolve(undefined);
  // Settled by cmdAdd; until then a quick failure must not count as unhandled.
  started.catch(() => undefined);
  // One turn of the event loop takes the IPAM call (a chain of promise jobs) to its spawn before
  // the rest of ADD loads.
  await nextTurn();
  return { inputs, ipam: started };
}
