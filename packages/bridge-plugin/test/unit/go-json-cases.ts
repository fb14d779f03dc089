/** JSON texts for the Go JSON reader's tests: which the fast path takes, and which it leaves. */

const prevResult = {
  cniVersion: '1.0.0',
  interfaces: [
    { name: 'cni0', mac: '0a:58:0a:16:00:01' },
    { name: 'veth1', mac: '0a:58:0a:16:00:02' },
    { name: 'eth0', mac: '0a:58:0a:16:00:03', sandbox: '/run/netns/c1' },
  ],
  ips: [
    { interface: 2, address: '10.22.0.2/16', gateway: '10.22.0.1' },
    { interface: 2, address: 'fd00:22::2/64', gateway: 'fd00:22::1' },
  ],
  routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0', priority: 100 }],
  dns: { nameservers: ['10.0.0.10'], search: ['a.b'] },
};

/** Texts whose every detail JSON.parse keeps: the fast path must answer, as parseGoJson does. */
export const FAST_CASES: Record<string, string> = {
  basic: JSON.stringify({
    cniVersion: '1.0.0',
    name: 'net',
    type: 'bridge',
    bridge: 'cni0',
    isGateway: true,
    ipMasq: false,
    ipam: { type: 'host-local', subnet: '10.22.0.0/16', dataDir: '/tmp/x' },
  }),
  withPrevResult: JSON.stringify({ cniVersion: '1.0.0', name: 'net', type: 'bridge', prevResult }),
  numberTexts:
    '{"mtu": 1e3, "vlan": 1.0, "a": -0, "b": 12345678901234567890, "c": -1.5E-7, "d": 0}',
  caseVariants: '{"MTU": 1500, "Bridge": "x", "bRiDgE": "y", "mtu": 9000}',
  nesting: '{"a": [[], {}, [1, [2, [3, {"b": null}]]]], "c": {"d": {"e": [true, false, null]}}}',
  colonsInStrings: '{"mac": "aa:bb:cc:dd:ee:ff", "ip": "fe80::1", "k:ey": "v:al", "e": ""}',
  unicode: '{"name": "nét-é", "emoji": "😀", "kelvin\u212a": 1, "long\u017fs": 2}',
  proto: '{"__proto__": {"polluted": true}, "constructor": 1}',
  whitespace: ' \n\t{ "a" : 1 ,\r\n "b" : [ 1 , 2 ] } \n',
  scalars: '"a string"',
  topNull: 'null',
  emptyObject: '{}',
};

/** Texts only parseGoJson reads as Go does: the fast path must leave them (answer undefined). */
export const SLOW_CASES: Record<string, string> = {
  duplicateKey: '{"mtu": "x", "mtu": 1500}',
  duplicateNested: '{"ipam": {"type": "a", "type": "b"}}',
  caseDuplicate: '{"mtu": 1, "MTU": 2, "mtu": 3}',
  escapes: '{"name": "a\\"b", "path": "c:\\\\d"}',
  unicodeEscape: '{"name": "\\u00e9\\ud800"}',
  integerKeys: '{"b": 1, "1": 2, "a": 3}',
  notJson: '{"a": 1,}',
};
