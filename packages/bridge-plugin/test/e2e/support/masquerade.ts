/**
 * The masquerade state the reference leaves (reference-bridge.md §2.14, §2.15): iptables lines
 * per container IP, and the nftables rule comment prefix, computed from the naming rules.
 */
import { createHash } from 'node:crypto';

function sha512Hex(text: string): string {
  return createHash('sha512').update(text).digest('hex');
}

/** `CNI-` + the first 24 hex digits of SHA-512(network + containerID). */
export function masqChain(network: string, containerId: string): string {
  return `CNI-${sha512Hex(network + containerId).slice(0, 24)}`;
}

/** The iptables comment of a container's masquerade rules. */
export function masqComment(network: string, containerId: string): string {
  return `name: "${network}" id: "${containerId}"`;
}

/**
 * The iptables-save lines the reference writes for one container IP (`10.1.2.2/24`), in the
 * nat table of its family.
 */
export function iptablesMasqLines(network: string, containerId: string, cidr: string): string[] {
  const [ip = '', prefix = ''] = cidr.split('/');
  const v6 = ip.includes(':');
  const chain = masqChain(network, containerId);
  const comment = `-m comment --comment ${JSON.stringify(masqComment(network, containerId))}`;
  return [
    `:${chain} -`,
    `-A POSTROUTING -s ${ip}/${v6 ? 128 : 32} ${comment} -j ${chain}`,
    `-A ${chain} -d ${networkOf(ip, Number(prefix))}/${prefix} ${comment} -j ACCEPT`,
    `-A ${chain} ! -d ${v6 ? 'ff00::/8' : '224.0.0.0/4'} ${comment} -j MASQUERADE`,
  ];
}

/** The nftables masquerade comment prefix of an attachment: H(network)-H(ifname:containerID). */
export function nftMasqCommentPrefix(network: string, ifName: string, containerId: string): string {
  const h = (s: string): string => sha512Hex(s).slice(0, 16);
  return `${h(network)}-${h(`${ifName}:${containerId}`)}`;
}

/** The network address of an IPv4 or IPv6 address with a prefix length, as iptables prints it. */
export function networkOf(ip: string, prefix: number): string {
  if (!ip.includes(':')) {
    const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const net = (n & mask) >>> 0;
    return [24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.');
  }
  const groups = expand(ip).map((g) => parseInt(g, 16));
  const masked = groups.map((g, i) => {
    const bits = Math.max(0, Math.min(16, prefix - i * 16));
    return bits === 0 ? 0 : g & ((0xffff << (16 - bits)) & 0xffff);
  });
  return compress(masked);
}

function expand(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}

function compress(groups: number[]): string {
  // Longest run of zero groups (length >= 2) becomes '::', as iptables prints it.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
