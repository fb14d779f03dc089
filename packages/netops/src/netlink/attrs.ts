/**
 * The rtnetlink attribute numbers and flag values netops sends and reads, from the kernel's uapi
 * headers (linux/if_link.h, if.h, if_addr.h, rtnetlink.h). Nested attributes are numbered within
 * their parent (IFLA_INFO_* inside IFLA_LINKINFO, IFLA_BR_* and IFLA_BRPORT_* inside its data).
 */

// linux/if_link.h: link attributes (top level)
export const IFLA_ADDRESS = 1;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_MASTER = 10;
export const IFLA_TXQLEN = 13;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKINFO = 18;
export const IFLA_NET_NS_PID = 19;
export const IFLA_NET_NS_FD = 28;
export const IFLA_EXT_MASK = 29;
export const IFLA_LINK_NETNSID = 37;
// ... inside IFLA_LINKINFO
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_INFO_SLAVE_KIND = 4;
export const IFLA_INFO_SLAVE_DATA = 5;
// ... inside a bridge's IFLA_INFO_DATA, a bridge port's IFLA_INFO_SLAVE_DATA, a veth's data
export const IFLA_BR_VLAN_FILTERING = 7;
export const IFLA_BRPORT_MODE = 4;
export const IFLA_BRPORT_ISOLATED = 33;
export const VETH_INFO_PEER = 1;

// linux/if.h: link flags
export const IFF_UP = 0x1;
export const IFF_PROMISC = 0x100;

// linux/if_addr.h: address attributes and flags
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFA_FLAGS = 8;
export const IFA_F_NODAD = 0x02;

// linux/rtnetlink.h: route attributes, metrics and header values
export const RTA_DST = 1;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_METRICS = 8;
export const RTA_TABLE = 15;
export const RTA_MULTIPATH = 9;
export const RTA_PREF = 20;
export const RTAX_MTU = 2;
export const RTAX_ADVMSS = 8;
export const RTPROT_BOOT = 3;
export const RTN_UNICAST = 1;
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;
export const RT_TABLE_MAIN = 254;
export const RTNH_F_ONLINK = 4;
