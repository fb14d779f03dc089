/** The directories searched for ip, nsenter, iptables...: PATH, or the usual sbin places. */

const FALLBACK = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * PATH's directories as given (like the reference, which looks iptables up on PATH, so that
 * STATUS reports what ADD will find); the standard directories only when PATH is unset or empty.
 */
export function searchPath(path: string | undefined, delimiter = ':'): string[] {
  const dirs = (path ?? '').split(delimiter).filter((d) => d !== '');
  return dirs.length > 0 ? [...new Set(dirs)] : FALLBACK;
}
