/**
 * Which masquerade backend to use, as the reference decides: an explicit `ipMasqBackend` wins;
 * otherwise iptables when it is usable, else nftables when that is usable, else iptables (whose
 * own error then explains what is missing).
 */
import { NetfilterError, NetfilterErrorCode } from './errors.js';
import { readNat } from './iptables/backend.js';
import type { SavedTable } from './iptables/save-parse.js';
import { runCommand, type ExecContext } from './runner.js';

/** The two masquerade backends. */
export type MasqBackend = 'iptables' | 'nftables';

/** Options of {@link chooseBackend}. */
export interface ChooseBackendOptions extends ExecContext {
  /** The network's `ipMasqBackend`; undefined means "choose". */
  requested?: string | undefined;
}

/** Checks an explicit backend name: the reference's `unknown ipmasq backend "x"` otherwise. */
export function parseBackend(requested: string): MasqBackend {
  if (requested === 'iptables' || requested === 'nftables') return requested;
  throw new NetfilterError(
    NetfilterErrorCode.UnknownBackend,
    `unknown ipmasq backend ${JSON.stringify(requested)}`,
  );
}

/**
 * iptables is usable when `iptables-save -t nat` works; the table it printed is returned so that
 * setup need not read it again.
 */
export async function probeIptables(ctx: ExecContext): Promise<SavedTable | undefined> {
  try {
    return await readNat(ctx, 4);
  } catch {
    return undefined;
  }
}

/** nftables is usable when nft accepts (in check mode) the creation of the masquerade table. */
export async function probeNftables(ctx: ExecContext): Promise<boolean> {
  try {
    const result = await runCommand(ctx, {
      backend: 'nftables',
      argv: ['nft', '--check', '-f', '-'],
      input: 'add table inet cni_plugins_masquerade\n',
    });
    return result.exitCode === 0;
  } catch {
    return false;
  }
}

/** The choice plus, when iptables was probed successfully, its IPv4 nat table. */
export async function resolveBackend(
  options: ChooseBackendOptions,
): Promise<{ backend: MasqBackend; natV4?: SavedTable }> {
  if (options.requested !== undefined) return { backend: parseBackend(options.requested) };
  const natV4 = await probeIptables(options);
  if (natV4) return { backend: 'iptables', natV4 };
  return { backend: (await probeNftables(options)) ? 'nftables' : 'iptables' };
}

/**
 * Picks the masquerade backend for a network: `requested` when given (validated), else iptables
 * if usable, else nftables if usable, else iptables. Costs one or two probe processes when
 * `requested` is undefined, none otherwise.
 */
export async function chooseBackend(options: ChooseBackendOptions = {}): Promise<MasqBackend> {
  return (await resolveBackend(options)).backend;
}
