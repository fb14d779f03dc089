/** The argv prefix that runs a command inside a network namespace given by any nsfs path. */
import { assertNetnsPath } from '../validate.js';

/** Default program used to enter a namespace (util-linux). */
export const NSENTER = 'nsenter';

/**
 * `argv` unchanged when `netns` is undefined, else `nsenter --net=PATH -- ...argv`. nsenter accepts
 * any nsfs path (/run/netns/x, /proc/PID/ns/net), unlike `ip -n` which knows named netns only.
 */
export function inNetns(
  argv: readonly string[],
  netns: string | undefined,
  nsenter = NSENTER,
): readonly string[] {
  if (netns === undefined) return argv;
  return [nsenter, `--net=${assertNetnsPath(netns)}`, '--', ...argv];
}
