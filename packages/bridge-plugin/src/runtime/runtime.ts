/**
 * The runtime seam: everything the plugin does to the outside world besides the skel's io. The
 * Node entry uses the defaults of the packages it builds on; the Bun executable passes Bun-native
 * implementations (Bun.spawn, Bun.file, Bun.CryptoHasher), which start several milliseconds faster.
 */
import type { CommandRunner, NetlinkOpener, NetnsEnter } from '@cnikit/netops';

/** A link's state as /sys/class/net shows it: operstate in iproute2's case (`UP`), MAC. */
export interface PortState {
  readonly operstate: string;
  readonly mac: string;
}

/** What the plugin's commands need from their runtime. */
export interface BridgeRuntime {
  /** Starts ip, nsenter, bridge, iptables, nft and the IPAM plugin. */
  runner: CommandRunner;
  /** Enters a container's namespace from this process (setns), when the runtime can. */
  enterNetns?: NetnsEnter;
  /** Reads a file under /proc/sys (slash-separated key, e.g. `net/ipv4/ip_forward`). */
  readSysctl(key: string): Promise<string>;
  /** Writes a file under /proc/sys, in the plugin's own (host) namespace. */
  writeSysctl(key: string, value: string): Promise<void>;
  /** The filesystem magic of a path (statfs f_type), to tell a namespace file from others. */
  statfsType(path: string): Promise<number>;
  /**
   * Netlink sockets of this process, when the runtime can open them: batches netops can send over
   * netlink (bridge and veth, container addresses and routes, link state, reads, link deletion)
   * then start no `ip`.
   */
  netlink?: NetlinkOpener;
  /** How the IPAM plugin is looked for on CNI_PATH (default: ipam-client's node:fs stat). */
  isRegularFile?: (path: string) => boolean;
  /** Cryptographically random bytes (host veth names). */
  randomBytes(n: number): Uint8Array;
  /** SHA-512 as lower-case hex (chain names and comments). */
  sha512Hex(text: string): string;
  /**
   * A link's operstate and MAC as this process's /sys shows them, when that view is of the
   * plugin's own namespace (the link there has index `ifindex`; /sys belongs to the namespace
   * that mounted it, which need not be the current one): undefined otherwise. The port check's
   * first reading then needs no process where the runtime has no netlink.
   */
  readPortState?(name: string, ifindex: number): PortState | undefined;
  /** Waits (the port-state back-off). */
  sleep(ms: number): Promise<void>;
  /** True when an executable of that name is on PATH (STATUS). */
  hasExecutable(name: string): Promise<boolean>;
  /**
   * The executables this runtime's own steps start, whatever the config (STATUS requires them);
   * default `ip`, `nsenter` and `sh` (container-side steps go through `nsenter` and a shell).
   */
  baseTools?: readonly string[];
  /** Where delegates' stderr and rollback problems go (never stdout). */
  stderr: { write(text: string): unknown };
}
