/**
 * The five delegated verbs. ADD parses and converts the delegate's result; the others only need
 * the delegate to succeed (their stdout, usually empty, is ignored as the Go reference does).
 */
import type { Result } from '@cnikit/cni-skel';
import { execIpam, type IpamExecOptions } from './exec-ipam.js';
import { parseIpamResult } from './ipam-result.js';

/**
 * Runs IPAM ADD and returns its result converted to the current spec version (1.1.0). A result
 * without `cniVersion` is read as the config's version (taken from `options.stdin`).
 *
 * @throws {@link IpamError} as {@link execIpam}, or `result` when stdout is empty, not JSON, or
 * not a result of its version.
 */
export async function ipamAdd(options: IpamExecOptions): Promise<Result> {
  const { stdout } = await execIpam('ADD', options);
  return parseIpamResult(stdout, configVersionOf(options.stdin)).result;
}

/** Runs IPAM DEL; resolves when the delegate exits 0. @throws {@link IpamError} as {@link execIpam}. */
export async function ipamDel(options: IpamExecOptions): Promise<void> {
  await execIpam('DEL', options);
}

/** Runs IPAM CHECK; resolves when the delegate exits 0. @throws {@link IpamError} as {@link execIpam}. */
export async function ipamCheck(options: IpamExecOptions): Promise<void> {
  await execIpam('CHECK', options);
}

/** Runs IPAM STATUS; resolves when the delegate exits 0. @throws {@link IpamError} as {@link execIpam}. */
export async function ipamStatus(options: IpamExecOptions): Promise<void> {
  await execIpam('STATUS', options);
}

/** Runs IPAM GC (same stdin, so it sees `cni.dev/valid-attachments`). @throws {@link IpamError}. */
export async function ipamGc(options: IpamExecOptions): Promise<void> {
  await execIpam('GC', options);
}

/** The config's `cniVersion` ('' when absent or unreadable; the skel has validated stdin). */
export function configVersionOf(stdin: string | Uint8Array): string {
  try {
    const text = typeof stdin === 'string' ? stdin : new TextDecoder().decode(stdin);
    const config: unknown = JSON.parse(text);
    if (typeof config === 'object' && config !== null) {
      const version = (config as { cniVersion?: unknown }).cniVersion;
      if (typeof version === 'string') return version;
    }
  } catch {
    // Not JSON: the delegate will say so; the result, if any, is then read as 0.1.0.
  }
  return '';
}
