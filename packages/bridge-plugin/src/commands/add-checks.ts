/**
 * Everything ADD refuses before touching the system (reference step 1, plus what the reference only
 * finds out half-way: a bad MAC, an unknown masquerade backend, a name that cannot be a link).
 */
import { assertNetnsPath } from '@cnikit/netops';
import { isL3, type BridgeConf } from '../config/netconf.js';
import { BridgeError } from '../errors.js';
import { containerMac } from '../net/mac.js';
import { checkIfName, vlanGatewayName } from '../net/names.js';
import type { BridgeRequest } from './command-context.js';

/** The checked inputs of an ADD. */
export interface AddInputs {
  l3: boolean;
  isGateway: boolean;
  mac: string | undefined;
  /** `<bridge>.<vlan>` when the gateway lives on a VLAN interface. */
  vlanGateway: string | undefined;
}

/**
 * Checks a netns path before it reaches a command line or a system call, by netops' rule (absolute,
 * no white space, control or batch-special character, no `..`, at most 4096 characters).
 */
export function checkNetnsPath(path: string): string {
  try {
    return assertNetnsPath(path);
  } catch (err) {
    throw new BridgeError(`failed to open netns ${JSON.stringify(path)}: invalid path`, {
      cause: err,
    });
  }
}

/**
 * @throws BridgeError with the reference's text for each refusal.
 */
export function checkAddInputs(conf: BridgeConf, req: BridgeRequest): AddInputs {
  const l3 = isL3(conf);
  if (l3 && conf.disableContainerInterface)
    throw new BridgeError('cannot use IPAM when DisableContainerInterface flag is set');
  const isGateway = conf.isGateway || conf.isDefaultGateway;
  if (conf.hairpinMode && conf.promiscMode)
    throw new BridgeError('cannot set hairpin mode and promiscuous mode at the same time');
  checkIfName(conf.bridge, 'bridge');
  checkIfName(req.ifName, 'interface');
  checkNetnsPath(req.netns);
  if (!Number.isInteger(conf.mtu) || conf.mtu < 0 || conf.mtu > 65535)
    throw new BridgeError(`invalid MTU ${conf.mtu}`);
  if (l3 && conf.ipMasq && conf.ipMasqBackend !== undefined) {
    if (conf.ipMasqBackend !== 'iptables' && conf.ipMasqBackend !== 'nftables')
      throw new BridgeError(`unknown ipmasq backend ${JSON.stringify(conf.ipMasqBackend)}`);
  }
  const mac = conf.mac === undefined ? undefined : containerMac(conf.mac);
  const vlanGateway =
    l3 && isGateway && conf.vlan !== 0
      ? checkIfName(vlanGatewayName(conf.bridge, conf.vlan), 'VLAN gateway')
      : undefined;
  return { l3, isGateway, mac, vlanGateway };
}
