/**
 * The host-local operations on a validated config, one per CNI command: allocate (ADD), release
 * (DEL), verify (CHECK), collect garbage (GC) and report availability (STATUS). Each holds the
 * store lock for its whole read-modify-write, so concurrent plugins — ours or the reference —
 * never hand out one address twice.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { CURRENT_VERSION, type IpConfig, type Result } from '@cnikit/cni-skel';
import { ipEquals } from '@cnikit/netops';
import {
  assignRequested,
  candidates,
  freeAddressCount,
  isReservedForNetwork,
} from './allocator.js';
import type { HostLocalConfig } from './config.js';
import { HostLocalError, pathErrorText } from './errors.js';
import { formatCidr, formatIp, parseCidr, type IpAddress } from './ip.js';
import { withStoreLock, type StoreLocker } from './lock.js';
import {
  formatRangeSet,
  rangeFor,
  rangeSetContains,
  type IpRange,
  type RangeSet,
} from './range.js';
import { belongingTo, isStillValid, type Attachment } from './reservation.js';
import { readResolvConf } from './resolv-conf.js';
import { DiskStore, type StoredReservation } from './store.js';

/** What the operations need from outside. */
export interface IpamDeps {
  /** Takes the store lock (default in the plugin: util-linux flock). */
  readonly locker: StoreLocker;
}

const allocationError = (msg: string): HostLocalError => new HostLocalError('allocation', msg);

async function openStore(config: HostLocalConfig): Promise<DiskStore> {
  const store = new DiskStore(config.dataDir, config.name);
  await store.ensure();
  return store;
}

/** One range set's share of an ADD: reserve the requested address, or the next free one. */
async function allocateFromSet(
  store: DiskStore,
  set: RangeSet,
  index: number,
  attachment: Attachment,
  requested: IpAddress | undefined,
  state: { taken: Set<string>; mine: readonly StoredReservation[] },
): Promise<{ address: IpAddress; range: IpRange }> {
  if (requested) {
    const range = rangeFor(set, requested) as IpRange;
    const text = formatIp(requested);
    if (ipEquals(requested, range.gateway)) {
      throw allocationError(`requested ip ${text} is subnet's gateway`);
    }
    if (isReservedForNetwork(range, requested)) {
      throw allocationError(`requested ip ${text} is the network or broadcast address`);
    }
    if (!(await store.reserve(requested, attachment, index))) {
      throw allocationError(
        `requested IP address ${text} is not available in range set ${formatRangeSet(set)}`,
      );
    }
    return { address: requested, range };
  }
  // The spec forbids a second ADD for one attachment; refuse rather than hand out a second address.
  const held = state.mine.find((r) => rangeSetContains(set, r.address));
  if (held) {
    throw allocationError(
      `${formatIp(held.address)} has been allocated to ${attachment.containerId}, duplicate allocation is not allowed`,
    );
  }
  const last = await store.lastReserved(index);
  for (const candidate of candidates(set, last)) {
    // Skip what the directory listing showed taken; O_EXCL still guards against the rest.
    if (state.taken.has(formatIp(candidate.address))) continue;
    if (await store.reserve(candidate.address, attachment, index)) return candidate;
  }
  throw allocationError(`no IP addresses available in range set: ${formatRangeSet(set)}`);
}

/** ADD: one address from each range set (requested ones honoured), all or nothing. */
export async function allocate(
  config: HostLocalConfig,
  attachment: Attachment,
  deps: IpamDeps,
): Promise<Result> {
  const dns = config.resolvConf === undefined ? undefined : await readResolvConf(config.resolvConf);
  const store = await openStore(config);
  const ips = await withStoreLock(deps.locker, store.lockFile, async () => {
    const reservations = await store.reservations();
    const state = {
      taken: new Set(reservations.map((r) => formatIp(r.address))),
      mine: belongingTo(reservations, attachment),
    };
    const { perSet, unassigned } = assignRequested(config.rangeSets, config.requested);
    const made: IpAddress[] = [];
    const out: IpConfig[] = [];
    try {
      for (const [index, set] of config.rangeSets.entries()) {
        let got;
        try {
          got = await allocateFromSet(store, set, index, attachment, perSet[index], state);
        } catch (error) {
          const inner =
            error instanceof HostLocalError
              ? error
              : allocationError(error instanceof Error ? error.message : String(error));
          throw new HostLocalError(
            inner.kind,
            `failed to allocate for range ${index}: ${inner.message}`,
            {
              cause: error,
            },
          );
        }
        made.push(got.address);
        state.taken.add(formatIp(got.address));
        out.push({
          address: formatCidr(got.address, got.range.prefix),
          gateway: formatIp(got.range.gateway),
        });
      }
      if (unassigned.length > 0) {
        throw allocationError(
          `failed to allocate all requested IPs: ${unassigned.map(formatIp).join(' ')}`,
        );
      }
    } catch (error) {
      // Only what this ADD reserved: an earlier reservation of the attachment stays.
      await store.remove(made.map(formatIp));
      throw error;
    }
    return out;
  });
  const result: Result = { cniVersion: CURRENT_VERSION, ips };
  if (config.routes.length > 0) result.routes = config.routes;
  if (dns) result.dns = dns;
  return result;
}

/** DEL: releases every reservation of the attachment; none is not an error. */
export async function release(
  config: HostLocalConfig,
  attachment: Attachment,
  deps: IpamDeps,
): Promise<string[]> {
  const store = await openStore(config);
  return withStoreLock(deps.locker, store.lockFile, async () => {
    const mine = belongingTo(await store.reservations(), attachment);
    const failures = await store.remove(mine.map((r) => r.file));
    if (failures.length > 0) {
      throw new HostLocalError('store', failures.map((f) => f.message).join(';'), {
        cause: failures[0],
      });
    }
    return mine.map((r) => r.file);
  });
}

/**
 * CHECK: the attachment holds at least one reservation (the reference's test) and, when the
 * runtime passed its cached result, each of its addresses that falls in our ranges is reserved
 * for this attachment.
 */
export async function verify(
  config: HostLocalConfig,
  attachment: Attachment,
  expected: readonly IpConfig[],
  deps: IpamDeps,
): Promise<void> {
  const store = await openStore(config);
  const mine = await withStoreLock(deps.locker, store.lockFile, async () =>
    belongingTo(await store.reservations(), attachment),
  );
  if (mine.length === 0) {
    throw new HostLocalError(
      'check',
      `host-local: Failed to find address added by container ${attachment.containerId}`,
    );
  }
  for (const ip of expected) {
    const address = parseCidr(ip.address)?.address;
    if (!address || !config.rangeSets.some((set) => rangeSetContains(set, address))) continue;
    if (!mine.some((r) => ipEquals(r.address, address))) {
      throw new HostLocalError(
        'check',
        `host-local: address ${formatIp(address)} of container ${attachment.containerId} is not reserved for it`,
      );
    }
  }
}

/**
 * GC: releases every reservation whose attachment is not in `valid`, keeps going past failures
 * and reports them all. Returns the released file names.
 */
export async function collectGarbage(
  config: HostLocalConfig,
  valid: readonly Attachment[],
  deps: IpamDeps,
): Promise<string[]> {
  const store = await openStore(config);
  return withStoreLock(deps.locker, store.lockFile, async () => {
    const stale = (await store.reservations()).filter((r) => !isStillValid(r.owner, valid));
    const failures = await store.remove(stale.map((r) => r.file));
    if (failures.length > 0) {
      throw new HostLocalError(
        'store',
        `failed to release ${failures.length} stale reservation(s)`,
        {
          details: failures.map((f) => f.message).join('; '),
          cause: failures[0],
        },
      );
    }
    return stale.map((r) => r.file);
  });
}

/**
 * STATUS: fails with code 50 when an ADD could not succeed now: the store cannot be created or
 * written, or a range set has no address left (an ADD needs one from each).
 */
export async function checkAvailability(config: HostLocalConfig): Promise<void> {
  const store = new DiskStore(config.dataDir, config.name);
  const unavailable = (msg: string, cause?: unknown): HostLocalError =>
    new HostLocalError('unavailable', msg, { cause });
  try {
    await store.ensure();
    await access(store.dir, constants.W_OK);
  } catch (error) {
    const reason =
      error instanceof HostLocalError ? error.message : pathErrorText('access', store.dir, error);
    throw unavailable(`store not writable: ${reason}`, error);
  }
  const reserved = await store.reservedAddresses();
  for (const [index, set] of config.rangeSets.entries()) {
    if (freeAddressCount(set, reserved) <= 0n) {
      throw unavailable(
        `range set ${index} is full: no IP addresses available in range set: ${formatRangeSet(set)}`,
      );
    }
  }
}
