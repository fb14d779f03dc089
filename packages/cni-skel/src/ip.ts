/**
 * Address syntax checks used to validate results: plain IPs and "address/prefix" (CIDR) forms, as
 * Go's net.ParseIP reads them (no zones, no leading zeros in IPv4 octets). Written out rather than
 * taken from node:net, which a bun executable would otherwise load at start-up.
 */

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** RFC 4291 text: eight hextets, one `::` for a run of zeros, an IPv4 tail for the last two. */
function isIpv6(text: string): boolean {
  const tail = text.slice(text.lastIndexOf(':') + 1);
  let body = text;
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    body = `${text.slice(0, text.length - tail.length)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((g) => HEXTET.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** The family of a plain IP address, or undefined when `text` is not one. */
export function ipFamily(text: string): 4 | 6 | undefined {
  if (text.includes(':')) return isIpv6(text) ? 6 : undefined;
  return IPV4.test(text) ? 4 : undefined;
}

const PREFIX = /^[0-9]{1,3}$/;

/** The family of an "address/prefix" string (host bits allowed), or undefined when malformed. */
export function cidrFamily(text: string): 4 | 6 | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const family = ipFamily(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (family === undefined || !PREFIX.test(prefix)) return undefined;
  return Number(prefix) <= (family === 4 ? 32 : 128) ? family : undefined;
}
