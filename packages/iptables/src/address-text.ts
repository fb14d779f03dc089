/**
 * Address tokens as iptables-save and nft print them (glibc's inet_ntop, RFC 5952 with dotted
 * IPv4-mapped and -compatible tails), so that rule text from the kernel and rule text we build
 * compare equal.
 */
import { formatIpInetNtop, tryParseIp } from '@cnikit/netops';

/**
 * Rewrites an address or `address/prefix` token in its printed form (`fd00:0::5/128` becomes
 * `fd00::5/128`); any other token (a chain name, a target, a malformed address) is returned
 * unchanged, since it is compared as it is.
 */
export function canonicalAddressText(text: string): string {
  const slash = text.indexOf('/');
  const address = tryParseIp(slash < 0 ? text : text.slice(0, slash));
  if (!address) return text;
  return formatIpInetNtop(address) + (slash < 0 ? '' : text.slice(slash));
}
