/**
 * `addr add A/L brd + dev IF`: an IPv4 address with its broadcast, as Go's netlink AddrAdd sets it
 * (without `brd` the kernel installs no broadcast route for the subnet).
 */
import {
  assertIfName,
  formatCidr,
  parseCidr,
  type BatchLine,
  type NetopsErrorKind,
} from '@cnikit/netops';
import { BridgeError } from '../errors.js';

/** The batch line; `cidr` must be IPv4 (address with prefix, host bits kept). */
export function ipv4AddrLine(
  cidr: string,
  ifName: string,
  tolerate: readonly NetopsErrorKind[] = [],
): BatchLine {
  const parsed = parseCidr(cidr);
  if (parsed.address.family !== 4) throw new BridgeError(`not an IPv4 address: ${cidr}`);
  return {
    words: ['addr', 'add', formatCidr(parsed), 'brd', '+', 'dev', assertIfName(ifName)],
    tolerate: [...tolerate],
    undo: undefined,
    hints: [],
  };
}
