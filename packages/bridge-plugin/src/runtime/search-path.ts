/** The directories searched for ip, nsenter, iptables...: PATH, then the usual sbin places. */

const FALLBACK = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** PATH's directories followed by the standard ones (runtimes may exec plugins with a thin PATH). */
export function searchPath(path: string | undefined, delimiter = ':'): string[] {
  const dirs = (path ?? '').split(delimiter).filter((d) => d !== '');
  return [...new Set([...dirs, ...FALLBACK])];
}
