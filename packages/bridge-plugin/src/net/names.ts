/** Interface names: checked before they reach a command line, and the VLAN gateway's name. */
import { isValidIfName } from '@cnikit/netops';
import { BridgeError } from '../errors.js';

/**
 * Refuses a name that cannot be a link or would change a command line (a leading '-' would be read
 * as an option; netops refuses quotes, '#' and backslashes, batch syntax).
 * @throws BridgeError naming what the name was for.
 */
export function checkIfName(name: string, what: string): string {
  if (!isValidIfName(name) || name.startsWith('-'))
    throw new BridgeError(`invalid ${what} name ${JSON.stringify(name)}`);
  return name;
}

/** The VLAN gateway interface of a bridge: `<bridge>.<vlan>` (must fit the 15-char limit). */
export const vlanGatewayName = (bridge: string, vlan: number): string => `${bridge}.${vlan}`;
