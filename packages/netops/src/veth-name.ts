/** Random host-side veth names in the Go reference's format. */
import { randomBytes } from 'node:crypto';

/**
 * `veth` + 8 lowercase hex digits from 4 random bytes (e.g. `veth1a2b3c4d`), as the reference
 * names host ends. NetworkManager ignores links named `veth*`.
 */
export function randomVethName(random: (n: number) => Uint8Array = randomBytes): string {
  return `veth${Buffer.from(random(4)).toString('hex')}`;
}
