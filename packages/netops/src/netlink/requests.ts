/**
 * The rtnetlink requests for {@link NlOp}s, with the attributes and defaults iproute2 6.1 sends
 * for the same command line (ipaddress.c ipaddr_modify, iproute.c iproute_modify, iplink.c), so
 * the kernel ends in the same state whichever way the line went.
 */
import type { IpAddress, IpCidr } from '../ip-address.js';
import type { NlLinkAttrs, NlRoute } from './ops.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
  NlRequest,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_DELROUTE,
  RTM_GETADDR,
  RTM_GETROUTE,
  RTM_GETLINK,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWROUTE,
} from './wire.js';
import {
  IFLA_ADDRESS,
  IFLA_IFNAME,
  IFLA_EXT_MASK,
  IFA_ADDRESS,
  IFA_LOCAL,
  IFA_BROADCAST,
  IFA_F_NODAD,
  IFF_UP,
  RTA_DST,
  RTA_OIF,
  RTA_GATEWAY,
  RTA_PRIORITY,
  RTA_PREFSRC,
  RTA_METRICS,
  RTA_TABLE,
  RTAX_MTU,
  RTAX_ADVMSS,
  RTPROT_BOOT,
  RTN_UNICAST,
  RT_SCOPE_UNIVERSE,
  RT_SCOPE_LINK,
  RT_SCOPE_HOST,
  RT_SCOPE_NOWHERE,
  RT_TABLE_MAIN,
  RTNH_F_ONLINK,
  IFLA_MTU,
  IFLA_MASTER,
  IFLA_TXQLEN,
  IFLA_LINKINFO,
  IFLA_NET_NS_PID,
  IFLA_NET_NS_FD,
  IFLA_INFO_KIND,
  IFLA_INFO_DATA,
  IFLA_INFO_SLAVE_KIND,
  IFLA_INFO_SLAVE_DATA,
  IFLA_BR_VLAN_FILTERING,
  IFLA_BRPORT_MODE,
  IFLA_BRPORT_ISOLATED,
  VETH_INFO_PEER,
  IFF_PROMISC,
} from './attrs.js';

/** RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS: no per-VF data, no statistics in link replies. */
const EXT_MASK = 0x1 | 0x8;

const familyCode = (ip: IpAddress): number => (ip.family === 4 ? AF_INET : AF_INET6);

/** An address as its network-order bytes. */
export function ipBytes(ip: IpAddress): Uint8Array {
  const n = ip.family === 4 ? 4 : 16;
  const out = new Uint8Array(n);
  let v = ip.value;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** ifinfomsg: family, type, index, flags, change. */
const ifinfo =
  (index: number, flags = 0, change = 0) =>
  (view: DataView, at: number): void => {
    view.setUint8(at, AF_UNSPEC);
    view.setInt32(at + 4, index, true);
    view.setUint32(at + 8, flags, true);
    view.setUint32(at + 12, change, true);
  };

/** RTM_GETLINK of one link by name (no statistics). */
export function getLinkByName(name: string): NlRequest {
  return new NlRequest(RTM_GETLINK, NLM_F_REQUEST)
    .struct(16, ifinfo(0))
    .u32(IFLA_EXT_MASK, EXT_MASK)
    .str(IFLA_IFNAME, name);
}

/** RTM_GETLINK of one link by index (a master's name). */
export function getLinkByIndex(index: number): NlRequest {
  return new NlRequest(RTM_GETLINK, NLM_F_REQUEST)
    .struct(16, ifinfo(index))
    .u32(IFLA_EXT_MASK, EXT_MASK);
}

/**
 * RTM_GETADDR dump of the addresses of link `index`. The kernel filters by link only on a socket
 * with NETLINK_GET_STRICT_CHK set (and dumps every address otherwise), so the reader filters too.
 */
export function dumpAddrs(index: number): NlRequest {
  return new NlRequest(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP).struct(8, (view, at) => {
    view.setUint8(at, AF_UNSPEC);
    view.setUint32(at + 4, index, true);
  });
}

/** RTM_GETROUTE dump of every route of both families, all tables (`ip route show table all`). */
export function dumpRoutes(): NlRequest {
  return new NlRequest(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP).struct(12, (view, at) => {
    view.setUint8(at, AF_UNSPEC);
  });
}

/** `ip link del dev NAME`. */
export function delLink(index: number): NlRequest {
  return new NlRequest(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK).struct(16, ifinfo(index));
}

/**
 * `ip link del dev NAME` in one request: the link named by IFLA_IFNAME (ifindex 0), so no lookup
 * goes first; a missing link answers ENODEV.
 */
export function delLinkByName(name: string): NlRequest {
  return new NlRequest(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK)
    .struct(16, ifinfo(0))
    .str(IFLA_IFNAME, name);
}

/** A namespace for IFLA_NET_NS_*: an open namespace file, or a process. */
export type NetnsRef = { fd: number } | { pid: number };

/** The attributes of a link that `link add` and `link set` put after ifinfomsg. */
function linkAttrs(
  req: NlRequest,
  name: string | undefined,
  a: NlLinkAttrs,
  master?: number,
): void {
  if (name !== undefined) req.str(IFLA_IFNAME, name);
  if (a.mac !== undefined) req.attr(IFLA_ADDRESS, a.mac);
  if (a.mtu !== undefined) req.u32(IFLA_MTU, a.mtu);
  if (a.txqlen !== undefined) req.u32(IFLA_TXQLEN, a.txqlen);
  if (master !== undefined) req.u32(IFLA_MASTER, master);
}

function netnsAttr(req: NlRequest, netns: NetnsRef | undefined): void {
  if (netns === undefined) return;
  if ('fd' in netns) req.u32(IFLA_NET_NS_FD, netns.fd);
  else req.u32(IFLA_NET_NS_PID, netns.pid);
}

/**
 * `ip link set dev NAME [address MAC] [mtu N] [txqueuelen N] [promisc on|off] [master M|nomaster]
 * [up|down]`; `master` is the master's index (0 for nomaster).
 */
export function setLink(index: number, a: NlLinkAttrs, master: number | undefined): NlRequest {
  let flags = 0;
  let change = 0;
  if (a.up !== undefined) {
    change |= IFF_UP;
    if (a.up) flags |= IFF_UP;
  }
  if (a.promisc !== undefined) {
    change |= IFF_PROMISC;
    if (a.promisc) flags |= IFF_PROMISC;
  }
  const req = new NlRequest(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK).struct(
    16,
    ifinfo(index, flags, change),
  );
  linkAttrs(req, undefined, a, master);
  return req;
}

const CREATE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;

/** `ip link add name NAME [mtu N] type bridge [vlan_filtering 1]`. */
export function addBridge(name: string, a: NlLinkAttrs, vlanFiltering: boolean): NlRequest {
  const req = new NlRequest(RTM_NEWLINK, CREATE).struct(16, ifinfo(0));
  linkAttrs(req, name, a);
  return req.nest(IFLA_LINKINFO, (r) => {
    r.str(IFLA_INFO_KIND, 'bridge');
    if (vlanFiltering) r.nest(IFLA_INFO_DATA, (d) => d.u8(IFLA_BR_VLAN_FILTERING, 1));
  });
}

/** `ip link add name NAME ... type veth peer name PEER ... [netns NS]`. */
export function addVeth(
  name: string,
  a: NlLinkAttrs,
  peer: string,
  peerAttrs: NlLinkAttrs,
  peerNetns: NetnsRef | undefined,
): NlRequest {
  const req = new NlRequest(RTM_NEWLINK, CREATE).struct(16, ifinfo(0));
  linkAttrs(req, name, a);
  return req.nest(IFLA_LINKINFO, (r) => {
    r.str(IFLA_INFO_KIND, 'veth');
    r.nest(IFLA_INFO_DATA, (d) =>
      d.nest(VETH_INFO_PEER, (p) => {
        p.struct(16, ifinfo(0));
        linkAttrs(p, peer, peerAttrs);
        netnsAttr(p, peerNetns);
      }),
    );
  });
}

/** `ip link set dev NAME type bridge_slave [hairpin on|off] [isolated on|off]`. */
export function setBridgePort(
  index: number,
  flags: { hairpin?: boolean | undefined; isolated?: boolean | undefined },
): NlRequest {
  return new NlRequest(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK)
    .struct(16, ifinfo(index))
    .nest(IFLA_LINKINFO, (r) => {
      r.str(IFLA_INFO_SLAVE_KIND, 'bridge');
      r.nest(IFLA_INFO_SLAVE_DATA, (d) => {
        if (flags.hairpin !== undefined) d.u8(IFLA_BRPORT_MODE, flags.hairpin ? 1 : 0);
        if (flags.isolated !== undefined) d.u8(IFLA_BRPORT_ISOLATED, flags.isolated ? 1 : 0);
      });
    });
}

/** iproute2's default scope of an address: host for loopback, link for IPv6 link-local. */
function defaultAddrScope(ip: IpAddress): number {
  if (ip.family === 4) return ip.value >> 24n === 127n ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
  if (ip.value === 1n) return RT_SCOPE_HOST;
  return ip.value >> 118n === 0x3fan ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
}

const ifaddr =
  (cidr: IpCidr, index: number, flags: number, scope: number) =>
  (view: DataView, at: number): void => {
    view.setUint8(at, familyCode(cidr.address));
    view.setUint8(at + 1, cidr.prefixLength);
    view.setUint8(at + 2, flags);
    view.setUint8(at + 3, scope);
    view.setUint32(at + 4, index, true);
  };

/** `ip addr add CIDR [brd +] dev NAME [nodad]`. */
export function addAddr(
  cidr: IpCidr,
  index: number,
  opts: { broadcast: boolean; nodad: boolean },
): NlRequest {
  const local = ipBytes(cidr.address);
  const req = new NlRequest(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
    .struct(8, ifaddr(cidr, index, opts.nodad ? IFA_F_NODAD : 0, defaultAddrScope(cidr.address)))
    .attr(IFA_LOCAL, local)
    .attr(IFA_ADDRESS, local);
  // `brd +` sets the host bits, and only for prefixes of 30 bits or less (as iproute2 does).
  if (opts.broadcast && cidr.address.family === 4 && cidr.prefixLength <= 30) {
    const hostBits = (1n << BigInt(32 - cidr.prefixLength)) - 1n;
    req.attr(IFA_BROADCAST, ipBytes({ family: 4, value: cidr.address.value | hostBits }));
  }
  return req;
}

/** `ip addr del CIDR dev NAME`. */
export function delAddr(cidr: IpCidr, index: number): NlRequest {
  const local = ipBytes(cidr.address);
  return new NlRequest(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK)
    .struct(8, ifaddr(cidr, index, 0, 0))
    .attr(IFA_LOCAL, local)
    .attr(IFA_ADDRESS, local);
}

const ROUTE_FLAGS: Record<'add' | 'prepend' | 'replace' | 'del', number> = {
  add: NLM_F_CREATE | NLM_F_EXCL,
  prepend: NLM_F_CREATE,
  replace: NLM_F_CREATE | NLM_F_REPLACE,
  del: 0,
};

/** `ip route add|prepend|replace|del ...`; `oif` is the index of `route.dev`, when given. */
export function routeRequest(
  verb: 'add' | 'prepend' | 'replace' | 'del',
  route: NlRoute,
  oif: number | undefined,
): NlRequest {
  const del = verb === 'del';
  const table = route.table ?? RT_TABLE_MAIN;
  // iproute2: unicast routes without a gateway are link scope, deletions match any scope.
  const scope =
    route.scope ??
    (del ? RT_SCOPE_NOWHERE : route.via === undefined ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
  const req = new NlRequest(
    del ? RTM_DELROUTE : RTM_NEWROUTE,
    NLM_F_REQUEST | NLM_F_ACK | ROUTE_FLAGS[verb],
  ).struct(12, (view, at) => {
    view.setUint8(at, familyCode(route.dst.address));
    view.setUint8(at + 1, route.dst.prefixLength);
    view.setUint8(at + 4, table < 256 ? table : 0);
    view.setUint8(at + 5, del ? 0 : RTPROT_BOOT);
    view.setUint8(at + 6, scope);
    view.setUint8(at + 7, del ? 0 : RTN_UNICAST);
    view.setUint32(at + 8, route.onlink ? RTNH_F_ONLINK : 0, true);
  });
  if (table >= 256) req.u32(RTA_TABLE, table);
  if (route.dst.prefixLength > 0) req.attr(RTA_DST, ipBytes(route.dst.address));
  if (route.via !== undefined) req.attr(RTA_GATEWAY, ipBytes(route.via));
  if (oif !== undefined) req.u32(RTA_OIF, oif);
  if (route.metric !== undefined) req.u32(RTA_PRIORITY, route.metric);
  if (route.src !== undefined) req.attr(RTA_PREFSRC, ipBytes(route.src));
  const { mtu, advmss } = route;
  if (mtu !== undefined || advmss !== undefined)
    req.nest(RTA_METRICS, (r) => {
      if (mtu !== undefined) r.u32(RTAX_MTU, mtu);
      if (advmss !== undefined) r.u32(RTAX_ADVMSS, advmss);
    });
  return req;
}
