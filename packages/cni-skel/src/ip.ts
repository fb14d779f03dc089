/**
 * Address syntax checks used to validate results: plain IPs and "address/prefix" (CIDR) forms, as
 * Go's net.ParseIP reads them (no zones, no leading zeros in IPv4 octets). Written out rather than
 * taken from node:net, which a bun executable would otherwise load at start-up, and as loops over
 * characters rather than regular expressions, whose first use costs a plugin start-up time.
 */

const isDigit = (unit: number): boolean => unit >= 0x30 && unit <= 0x39;

const isHexDigit = (unit: number): boolean =>
  isDigit(unit) || (unit >= 0x61 && unit <= 0x66) || (unit >= 0x41 && unit <= 0x46);

/** 1 to `max` characters, each passing `test`. */
function isRun(text: string, max: number, test: (unit: number) => boolean): boolean {
  if (text.length === 0 || text.length > max) return false;
  for (let i = 0; i < text.length; i++) if (!test(text.charCodeAt(i))) return false;
  return true;
}

/** 0 to 255 in decimal, without leading zeros. */
function isOctet(text: string): boolean {
  if (!isRun(text, 3, isDigit)) return false;
  return (text.length === 1 || text.charCodeAt(0) !== 0x30) && Number(text) <= 255;
}

/** Dotted-decimal IPv4: four octets. */
function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every(isOctet);
}

const isHextet = (text: string): boolean => isRun(text, 4, isHexDigit);

/** RFC 4291 text: eight hextets, one `::` for a run of zeros, an IPv4 tail for the last two. */
function isIpv6(text: string): boolean {
  const tail = text.slice(text.lastIndexOf(':') + 1);
  let body = text;
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    body = `${text.slice(0, text.length - tail.length)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every(isHextet)) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** The family of a plain IP address, or undefined when `text` is not one. */
export function ipFamily(text: string): 4 | 6 | undefined {
  if (text.includes(':')) return isIpv6(text) ? 6 : undefined;
  return isIpv4(text) ? 4 : undefined;
}

/** The family of an "address/prefix" string (host bits allowed), or undefined when malformed. */
export function cidrFamily(text: string): 4 | 6 | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const family = ipFamily(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (family === undefined || !isRun(prefix, 3, isDigit)) return undefined;
  return Number(prefix) <= (family === 4 ? 32 : 128) ? family : undefined;
}
