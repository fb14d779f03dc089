/**
 * Names and comments shared with the reference plugins, so that rules written by either
 * implementation are found and removed by the other. Callers validate inputs first.
 */
import { hashWithPrefix, type Sha512Hex, defaultSha512Hex } from './hash.js';

/** The reference's iptables chain names are exactly this long ("CNI-" + 24 hex digits). */
const CHAIN_LENGTH = 28;
/** Hex digits of each hash in an nftables masquerade comment. */
const NFT_HASH_LENGTH = 16;
/** nftables comments are cut to this many characters. */
const NFT_COMMENT_MAX = 128;

/** iptables chain of a container on a network: `CNI-` + first 24 hex of sha512(network + id). */
export function chainName(
  network: string,
  containerId: string,
  sha512Hex: Sha512Hex = defaultSha512Hex,
): string {
  return hashWithPrefix(CHAIN_LENGTH, 'CNI-', network + containerId, sha512Hex);
}

/** The comment on every iptables rule of a container: `name: "<net>" id: "<cid>"`. */
export function masqueradeComment(network: string, containerId: string): string {
  return `name: "${network}" id: "${containerId}"`;
}

/** Splits an iptables masquerade comment back into network and container ID. */
export function parseMasqueradeComment(
  comment: string,
): { network: string; containerId: string } | undefined {
  const m = /^name: "([^"]*)" id: "([^"]*)"$/.exec(comment);
  return m ? { network: m[1] ?? '', containerId: m[2] ?? '' } : undefined;
}

function shortHash(text: string, sha512Hex: Sha512Hex): string {
  return sha512Hex(text).slice(0, NFT_HASH_LENGTH);
}

/** The nftables comment prefix shared by all rules of a network: H(network). */
export function nftNetworkPrefix(network: string, sha512Hex: Sha512Hex = defaultSha512Hex): string {
  return shortHash(network, sha512Hex);
}

/** The nftables comment prefix of one attachment: `H(network)-H(ifname + ":" + containerID)`. */
export function nftInstancePrefix(
  network: string,
  ifName: string,
  containerId: string,
  sha512Hex: Sha512Hex = defaultSha512Hex,
): string {
  return `${shortHash(network, sha512Hex)}-${shortHash(`${ifName}:${containerId}`, sha512Hex)}`;
}

/**
 * The comment on an attachment's nftables masquerade rules:
 * `<H(net)>-<H(if:id)>, net: <net>, if: <if>, id: <id>`, quotes dropped, cut to 128 characters.
 */
export function nftMasqueradeComment(
  network: string,
  ifName: string,
  containerId: string,
  sha512Hex: Sha512Hex = defaultSha512Hex,
): string {
  const plain = (s: string): string => s.replaceAll('"', '');
  const full =
    `${nftInstancePrefix(network, ifName, containerId, sha512Hex)}, ` +
    `net: ${plain(network)}, if: ${plain(ifName)}, id: ${plain(containerId)}`;
  return full.slice(0, NFT_COMMENT_MAX);
}

/** The spoof-check identity of an attachment: `<containerID>-<ifname>`. */
function spoofRef(containerId: string, ifName: string): string {
  return `${containerId}-${ifName}`;
}

/** The comment on every spoof-check rule of an attachment: `macspoofchk-<containerID>-<ifname>`. */
export function spoofCheckComment(containerId: string, ifName: string): string {
  return `macspoofchk-${spoofRef(containerId, ifName)}`;
}

/** The two regular chains of an attachment's spoof check in table `bridge nat`. */
export function spoofCheckChains(
  containerId: string,
  ifName: string,
): { iface: string; mac: string } {
  const iface = `cni-br-iface-${spoofRef(containerId, ifName)}`;
  return { iface, mac: `${iface}-mac` };
}
