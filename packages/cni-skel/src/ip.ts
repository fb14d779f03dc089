/** Address syntax checks used to validate results: plain IPs and "address/prefix" (CIDR) forms. */
import { isIP } from 'node:net';

/** The family of a plain IP address, or undefined when `text` is not one. */
export function ipFamily(text: string): 4 | 6 | undefined {
  const family = isIP(text);
  return family === 4 || family === 6 ? family : undefined;
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
