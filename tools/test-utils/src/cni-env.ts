/** Builds CNI_* environments for tests. */

export interface CniEnvInput {
  command: string;
  containerId?: string;
  netns?: string;
  ifName?: string;
  args?: string;
  path?: string | readonly string[];
}

/** The CNI_* variables of a call; unset fields are left out. */
export function cniEnv(input: CniEnvInput): Record<string, string> {
  const env: Record<string, string> = { CNI_COMMAND: input.command };
  if (input.containerId !== undefined) env.CNI_CONTAINERID = input.containerId;
  if (input.netns !== undefined) env.CNI_NETNS = input.netns;
  if (input.ifName !== undefined) env.CNI_IFNAME = input.ifName;
  if (input.args !== undefined) env.CNI_ARGS = input.args;
  if (input.path !== undefined)
    env.CNI_PATH = typeof input.path === 'string' ? input.path : input.path.join(':');
  return env;
}

/** Where Debian's containernetworking-plugins installs the reference plugins. */
export const REFERENCE_PLUGIN_DIR = '/usr/lib/cni';
