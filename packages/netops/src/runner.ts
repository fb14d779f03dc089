/**
 * The seam through which netops (and @cnikit/iptables) start processes. Tests replace it with a
 * recorder; the default is execa; a plugin's executable can pass a lighter one (e.g. Bun.spawn).
 */

/** What a command is run with. */
export interface RunOptions {
  /** Text written to the child's stdin (then closed). */
  input?: string;
  /**
   * Run inside this network namespace: any nsfs path (/run/netns/x, /proc/PID/ns/net). The runner
   * prefixes `nsenter --net=PATH --`. Undefined means the caller's own namespace.
   */
  netns?: string;
  /** Kill the child after this many milliseconds. */
  timeoutMs?: number;
  /** Extra environment variables; the child otherwise inherits the parent's environment. */
  env?: Record<string, string>;
}

/** How a command ended. A runner resolves with this for any exit code; it rejects only when the
 * program could not be started at all (then the error has a `code` such as 'ENOENT'). */
export interface RunResult {
  /** The argv actually executed (including any nsenter prefix). */
  argv: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the child was killed for exceeding `timeoutMs`. */
  timedOut?: boolean;
}

/** Starts `argv[0]` with the rest as arguments and waits for it to end. */
export type CommandRunner = (argv: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** Synchronous access to /proc/sys for work done inside a {@link NetnsEnter} (slash paths). */
export interface SyncSysctlFiles {
  read(path: string): string;
  write(path: string, text: string): void;
}

/**
 * Runs `work` synchronously with the caller's thread inside the network namespace at `netns`, and
 * returns it there at once: for a runtime that can setns(2) itself (the bridge's Bun executable).
 * Resolves `undefined` when it cannot; netops then does the work in a process in that namespace.
 */
export type NetnsEnter = <T>(
  netns: string,
  work: (files: SyncSysctlFiles) => T,
) => Promise<{ value: T } | undefined>;

/**
 * A NETLINK_ROUTE socket of one namespace, used synchronously: rtnetlink answers a request while
 * handling its send, so the whole answer is queued when `exchange` reads it.
 */
export interface NetlinkConnection {
  /**
   * Sends one request and returns the datagrams of its answer, up to and including the one with
   * the acknowledgement, the error or the end of a dump. Throws when the socket fails or the answer
   * is not there.
   */
  exchange(request: Uint8Array): Uint8Array[];
  /**
   * Hands the request to the kernel to handle in the background (a kernel worker sends it, as
   * io_uring does) and returns at once; the returned function waits until it has been handled and
   * returns the answer as {@link exchange} does. Undefined, with nothing sent, where the runtime
   * cannot (also when the method is absent).
   */
  exchangeLater?(request: Uint8Array): (() => Uint8Array[]) | undefined;
  /**
   * Opens a namespace file (read-only) for a request that creates a link in it, and returns the
   * descriptor; `close` closes it. Without it, batches that need one go through `ip`.
   */
  openNetns?(path: string): number;
  close(): void;
}

/**
 * Opens a {@link NetlinkConnection} in `netns` (undefined: the caller's own namespace); resolves
 * undefined when this runtime cannot (the batch then goes through `ip`).
 */
export type NetlinkOpener = (netns: string | undefined) => Promise<NetlinkConnection | undefined>;
