/** What every bridge command gets: the request, the loaded config, the runtime and the log. */
import type { Logger, Result } from '@cnikit/cni-skel';
import type { BridgeConf } from '../config/netconf.js';
import type { BridgeRuntime } from '../runtime/runtime.js';

/** One request, ready for a command. */
export interface BridgeRequest {
  containerId: string;
  netns: string;
  ifName: string;
  /** Stdin exactly as received (forwarded to IPAM). */
  stdin: string;
  /** The whole environment (IPAM inherits it). */
  env: Readonly<Record<string, string | undefined>>;
  /** CNI_PATH directories. */
  path: readonly string[];
  /** prevResult, up-converted to 1.1.0 by the skel. */
  prevResult: Result | undefined;
  /** GC's still-valid attachments. */
  validAttachments: ReadonlyArray<{ containerID: string; ifname: string }>;
}

/** A command's inputs. */
export interface CommandContext {
  req: BridgeRequest;
  conf: BridgeConf;
  rt: BridgeRuntime;
  log: Logger;
}
