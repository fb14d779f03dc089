/**
 * Everything but the IP state of one namespace, read by one process (`ip netns exec`, which also
 * remounts /sys for the namespace): the sysctls the bridge plugin writes (reference-bridge.md
 * §2.7), each interface's addr_assign_type (3 = MAC set by user space), bridge VLAN entries, and
 * the packet filter: `nft list ruleset` and iptables-save of nat and filter for both families.
 */
import type { Netns } from '../netns.js';
import { mustExecIn } from '../netns.js';
import { OracleError } from './errors.js';
import { cleanNft, cleanSave, type FirewallDump } from './firewall.js';
import { num, parseJsonOf, records, str, strings } from './json-fields.js';

/** Sysctl path under /proc/sys/net (raw interface names) → value; interface → addr_assign_type. */
export interface KernelSettings {
  sysctls: Record<string, string>;
  addrAssignTypes: Record<string, number>;
}

/** What readNamespaceExtras returns. */
export interface RawExtras {
  settings: KernelSettings;
  /** Raw interface name → VLAN entries as `VID[-VID] [PVID] [untagged]`. */
  vlans: Record<string, string[]>;
  firewall: FirewallDump;
}

const MARK = '@@cnikit-section ';

// Every name is enumerated by the script itself, so no caller value reaches the shell. nft runs
// before iptables-save so that no observation could be the one creating a table.
const SCRIPT = `
section() { printf '\\n${MARK}%s\\n' "$1"; }
section sysctl
cd /proc/sys/net || exit 1
show() { [ -r "$1" ] && printf '%s %s\\n' "$1" "$(cat "$1")"; return 0; }
show ipv4/ip_forward
show ipv6/conf/all/forwarding
for d in ipv6/conf/*; do
  case "\${d#ipv6/conf/}" in all|default) continue;; esac
  for k in accept_ra accept_dad enhanced_dad disable_ipv6 keep_addr_on_down; do show "$d/$k"; done
done
for d in ipv4/conf/*; do
  case "\${d#ipv4/conf/}" in all|default) continue;; esac
  show "$d/arp_notify"
done
section assign
for f in /sys/class/net/*/addr_assign_type; do
  n=\${f#/sys/class/net/}; n=\${n%/addr_assign_type}
  printf '%s %s\\n' "$n" "$(cat "$f" 2>/dev/null)"
done
section vlans
bridge -j vlan show || exit 1
section nft
nft list ruleset || exit 1
section 'iptables nat'
iptables-save -t nat || exit 1
section 'iptables filter'
iptables-save -t filter || exit 1
section 'ip6tables nat'
ip6tables-save -t nat || exit 1
section 'ip6tables filter'
ip6tables-save -t filter || exit 1
`;

const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Reads the extras of a named namespace in one process. */
export async function readNamespaceExtras(ns: Netns): Promise<RawExtras> {
  if (!NETNS_NAME.test(ns.name)) throw new OracleError(`unexpected namespace name ${ns.name}`);
  const out = await mustExecIn(ns, ['ip', 'netns', 'exec', ns.name, 'sh', '-c', SCRIPT]);
  const sections = splitSections(out);
  const settings: KernelSettings = { sysctls: {}, addrAssignTypes: {} };
  for (const [key, value] of pairs(sections.get('sysctl'))) settings.sysctls[key] = value;
  for (const [name, value] of pairs(sections.get('assign'))) {
    if (/^\d+$/.test(value)) settings.addrAssignTypes[name] = Number(value);
  }
  const firewall: FirewallDump = { nft: cleanNft(sections.get('nft') ?? '') };
  for (const dump of ['iptables nat', 'iptables filter', 'ip6tables nat', 'ip6tables filter']) {
    firewall[dump] = cleanSave(sections.get(dump) ?? '');
  }
  return { settings, vlans: parseVlans(sections.get('vlans') ?? ''), firewall };
}

function splitSections(out: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (current !== undefined) sections.set(current, lines.join('\n'));
  };
  for (const line of out.split('\n')) {
    if (line.startsWith(MARK)) {
      flush();
      current = line.slice(MARK.length);
      lines = [];
    } else lines.push(line);
  }
  flush();
  return sections;
}

function pairs(text: string | undefined): [string, string][] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((p): p is [string, string] => p.length === 2 && p[0] !== '');
}

function parseVlans(text: string): Record<string, string[]> {
  const vlans: Record<string, string[]> = {};
  if (text.trim() === '') return vlans;
  for (const entry of records(parseJsonOf('bridge vlan', text))) {
    const name = str(entry.ifname);
    if (name === undefined) continue;
    vlans[name] = records(entry.vlans).map((v) => {
      const flags = strings(v.flags);
      const end = num(v.vlanEnd);
      return [
        `${num(v.vlan) ?? '?'}${end === undefined ? '' : `-${end}`}`,
        flags.includes('PVID') ? 'PVID' : '',
        flags.includes('Egress Untagged') ? 'untagged' : '',
      ]
        .filter((s) => s !== '')
        .join(' ');
    });
  }
  return vlans;
}
