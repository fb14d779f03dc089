/** Random host-side veth names in the Go reference's format. */
import { hexBytes } from './hex.js';

/** Web Crypto's generator, a global on Node and Bun: no node:crypto to load at start-up. */
const webRandom = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

/**
 * `veth` + 8 lowercase hex digits from 4 random bytes (e.g. `veth1a2b3c4d`), as the reference
 * names host ends. NetworkManager ignores links named `veth*`.
 */
export function randomVethName(random: (n: number) => Uint8Array = webRandom): string {
  return `veth${hexBytes(random(4))}`;
}
