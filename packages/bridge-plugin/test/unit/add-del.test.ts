import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invokePlugin } from '@cnikit/cni-skel/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridgePlugin } from '../../src/plugin.js';
import { MACS, RecordingRuntime, type RecordingOptions } from './recording-runtime.js';

let rt: RecordingRuntime | undefined;
afterEach(() => {
  rt?.cleanup();
  rt = undefined;
});

const config = (extra: Record<string, unknown> = {}) => ({
  cniVersion: '1.0.0',
  name: 'testnet',
  type: 'bridge',
  bridge: 'br0',
  isGateway: true,
  ipam: { type: 'fake-ipam' },
  ...extra,
});

async function call(command: string, stdin: object, options: RecordingOptions = {}, extraEnv = {}) {
  rt ??= new RecordingRuntime(options);
  const runtime = rt;
  const plugin = createBridgePlugin({ runtime: () => runtime });
  return invokePlugin(plugin, {
    env: {
      CNI_COMMAND: command,
      CNI_CONTAINERID: 'ctr1',
      CNI_NETNS: '/run/netns/c1',
      CNI_IFNAME: 'eth0',
      CNI_PATH: runtime.cniPath,
      CNI_NETNS_OVERRIDE: '1',
      ...extraEnv,
    },
    stdin,
  });
}

describe('ADD against a recording runtime', () => {
  it('starts IPAM first, the host batch beside it, the gateway beside the container step', async () => {
    const out = await call('ADD', config());
    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({
      cniVersion: '1.0.0',
      interfaces: [
        { name: 'br0', mac: MACS.bridge },
        { name: 'vethabababab', mac: MACS.veth },
        { name: 'eth0', mac: MACS.container, sandbox: '/run/netns/c1' },
      ],
      ips: [{ address: '10.1.2.5/24', gateway: '10.1.2.1', interface: 2 }],
    });
    const r = rt!;
    // Without an in-process link read (the Node runtime), the port state costs a last `ip`.
    expect(r.calls.map((c) => c.argv[0]?.replace(/.*\//, ''))).toEqual([
      'fake-ipam',
      'ip',
      'ip',
      'sh',
      'ip',
    ]);
    const [first, gateway, port] = r.hostBatches();
    expect(first).toContain('link add name vethabababab txqueuelen 0 type veth peer name eth0');
    expect(first?.endsWith('addr show dev vethabababab\naddr show dev br0\n')).toBe(true);
    expect(gateway).toBe(
      `addr add 10.1.2.1/24 brd + dev br0\nlink set dev br0 address ${MACS.bridge}\n`,
    );
    expect(port).toBe('addr show dev vethabababab\n');
    const container = r.calls.find((c) => c.argv[0] === 'sh');
    expect(container?.netns).toBe('/run/netns/c1');
    expect(container?.input).toBe(
      'addr add 10.1.2.5/24 brd + dev eth0\nlink set dev eth0 up\naddr show dev eth0\n',
    );
    expect(r.sysctls.get('net/ipv4/ip_forward')).toBe('1');
    expect(r.sysctls.get('net/ipv6/conf/br0/accept_ra')).toBe('0');
    expect(r.sysctls.get('net/ipv6/conf/vethabababab/accept_ra')).toBe('0');
  });

  it('adds no gateway process when the bridge already has the address', async () => {
    const out = await call('ADD', config(), {
      bridgeAddresses: [{ family: 'inet', local: '10.1.2.1', prefixlen: 24 }],
    });
    expect(out.error).toBeUndefined();
    const r = rt!;
    // Host batch, container step, port read: no gateway batch.
    expect(r.calls.map((c) => c.argv[0]?.replace(/.*\//, ''))).toEqual([
      'fake-ipam',
      'ip',
      'sh',
      'ip',
    ]);
    // Read after the port joined, in the host batch.
    expect((out.result as { interfaces: unknown[] }).interfaces[0]).toEqual({
      name: 'br0',
      mac: MACS.bridge,
    });
  });

  it('merges a prevResult (chained ADD)', async () => {
    const prevResult = {
      cniVersion: '1.0.0',
      interfaces: [{ name: 'x0' }],
      ips: [{ address: '192.168.1.2/24', interface: 0 }],
    };
    const out = await call('ADD', config({ prevResult }));
    const result = out.result as { interfaces: unknown[]; ips: Array<{ interface: number }> };
    expect(result.interfaces).toHaveLength(4);
    expect(result.ips.map((ip) => ip.interface)).toEqual([0, 3]);
  });

  it('refuses config errors before any effect', async () => {
    const out = await call('ADD', config({ hairpinMode: true, promiscMode: true }));
    expect(out.error).toEqual({
      cniVersion: '1.0.0',
      code: 999,
      msg: 'cannot set hairpin mode and promiscuous mode at the same time',
    });
    expect(rt!.calls).toEqual([]);
    const dci = await call('ADD', config({ disableContainerInterface: true }));
    expect(dci.error?.msg).toBe('cannot use IPAM when DisableContainerInterface flag is set');
    const backend = await call('ADD', config({ ipMasq: true, ipMasqBackend: 'pf' }));
    expect(backend.error?.msg).toBe('unknown ipmasq backend "pf"');
    expect(rt!.calls).toEqual([]);
  });

  it('fails when IPAM returns no IP, releasing the allocation and the veth', async () => {
    const out = await call('ADD', config(), { ipamResult: { cniVersion: '1.0.0' } });
    expect(out.error?.msg).toBe('IPAM plugin returned missing IP config');
    expect(rt!.ipamCommands()).toEqual(['ADD', 'DEL']);
    expect(rt!.hostBatches().at(-1)).toBe('link del dev vethabababab\n');
  });
});

describe('ADD rollback with injected failures', () => {
  it.each([
    [
      'the container addresses',
      /^addr add 10\.1\.2\.5/,
      'failed to add IP addr 10.1.2.5/24 to "eth0": invalid argument',
    ],
    [
      'the bridge address',
      /^addr add 10\.1\.2\.1/,
      'failed to set bridge addr: could not add IP address 10.1.2.1/24 to "br0": invalid argument',
    ],
    [
      'the MAC pin',
      /address 02:00:00:00:00:0b/,
      "failed to set bridge addr: could not set bridge's mac: invalid argument",
    ],
    [
      'the port attachment',
      /master br0/,
      'failed to connect "vethabababab" to bridge br0: invalid argument',
    ],
  ])(
    'undoes veth, IPAM and rules when %s fail, reporting the original error',
    async (_what, failLine, message) => {
      const out = await call(
        'ADD',
        config({ ipMasq: true, ipMasqBackend: 'iptables', macspoofchk: true }),
        { failLine },
      );
      expect(out.error?.msg).toBe(message);
      const r = rt!;
      expect(r.ipamCommands()).toEqual(['ADD', 'DEL']);
      expect(r.hostBatches().at(-1)).toBe('link del dev vethabababab\n');
    },
  );

  it('removes the masquerade rules it installed when a later setup fails', async () => {
    const out = await call('ADD', config({ ipMasq: true, ipMasqBackend: 'iptables' }), {
      failLine: /address 02:00/,
    });
    expect(out.exitCode).toBe(1);
    const r = rt!;
    const failedAt = r.calls.findIndex((c) => c.input.includes('address 02:00'));
    // Setup wrote the chain (concurrently with the container side); the rollback, knowing the
    // addresses, deletes exactly that in one restore.
    const restores = r.calls.filter((c) => c.argv[0] === 'iptables-restore').map((c) => c.input);
    expect(restores).toEqual([
      expect.stringMatching(/^-N CNI-\w+$/m),
      expect.stringMatching(/^-D POSTROUTING -s 10\.1\.2\.5\/32 .*\n-F CNI-\w+\n-X CNI-/m),
    ]);
    expect(r.calls.findLastIndex((c) => c.argv[0] === 'iptables-restore')).toBeGreaterThan(
      failedAt,
    );
    expect(r.ipamCommands()).toEqual(['ADD', 'DEL']);
  });

  it('reports a masquerade failure and still removes the veth and the allocation', async () => {
    const out = await call('ADD', config({ ipMasq: true, ipMasqBackend: 'iptables' }), {
      failMasquerade: true,
    });
    expect(out.exitCode).toBe(1);
    expect(out.error?.msg).toContain('injected masquerade failure');
    expect(rt!.ipamCommands()).toEqual(['ADD', 'DEL']);
    expect(rt!.hostBatches().at(-1)).toBe('link del dev vethabababab\n');
  });
});

describe('DEL against a recording runtime', () => {
  it('deletes the link inside the netns, releases IPAM and tears rules down by identity', async () => {
    const out = await call('DEL', config({ ipMasq: true, macspoofchk: true }));
    expect(out.exitCode).toBe(0);
    const r = rt!;
    const del = r.calls.findIndex(
      (c) => c.netns === '/run/netns/c1' && c.input === 'link del dev eth0\n',
    );
    expect(del).toBeGreaterThanOrEqual(0);
    expect(r.ipamCommands()).toEqual(['DEL']);
    expect(r.calls.some((c) => c.argv[0] === 'iptables-save')).toBe(true);
    expect(r.calls.some((c) => c.argv[0] === 'nft')).toBe(true);
  });

  it('touches only the families in prevResult, deleting what setup wrote without a read', async () => {
    const prevResult = {
      cniVersion: '1.0.0',
      interfaces: [{ name: 'eth0', sandbox: '/run/netns/c1' }],
      ips: [{ address: '10.1.2.5/24', interface: 0 }],
    };
    const out = await call('DEL', { ...config({ ipMasq: true }), prevResult });
    expect(out.exitCode).toBe(0);
    const tools = rt!.calls.map((c) => c.argv[0]).filter((a) => a?.includes('tables-'));
    expect(tools).toEqual(['iptables-restore']);
    // Setup's rules found whole on iptables: nftables is not listed.
    expect(rt!.calls.some((c) => c.argv[0] === 'nft')).toBe(false);
  });

  it('releases IPAM and removes rules even when the link deletion fails, and reports it', async () => {
    const out = await call('DEL', config({ ipMasq: true }), { failLine: /^link del dev eth0/ });
    expect(out.exitCode).toBe(1);
    expect(out.error?.msg).toContain('failed to delete "eth0"');
    expect(rt!.ipamCommands()).toEqual(['DEL']);
    expect(rt!.calls.some((c) => c.argv[0] === 'iptables-save')).toBe(true);
  });

  it('with an empty CNI_NETNS still releases IPAM and removes rules', async () => {
    const out = await call('DEL', config({ ipMasq: true }), {}, { CNI_NETNS: '' });
    expect(out.exitCode).toBe(0);
    expect(rt!.ipamCommands()).toEqual(['DEL']);
    expect(rt!.calls.some((c) => c.argv[0] === 'iptables-save')).toBe(true);
    expect(rt!.calls.some((c) => c.input.includes('link del'))).toBe(false);
  });

  it('fails on bad CNI_ARGS as the reference', async () => {
    const out = await call('DEL', config(), {}, { CNI_ARGS: 'FOO=bar' });
    expect(out.error?.msg).toBe('ARGS: unknown args ["FOO=bar"]');
  });
});

describe('CHECK against a recording runtime', () => {
  const prevResult = {
    cniVersion: '1.0.0',
    interfaces: [
      { name: 'br0', mac: MACS.bridge },
      { name: 'vethabababab', mac: MACS.veth },
      { name: 'eth0', mac: MACS.container, sandbox: '/run/netns/c1' },
    ],
    ips: [{ address: '10.1.2.5/24', interface: 2 }],
  };

  it('reads the host and the container side (one process each without netlink)', async () => {
    await call('CHECK', { ...config(), prevResult });
    const r = rt!;
    expect(r.ipamCommands()).toEqual(['CHECK']);
    expect(r.calls.filter((c) => c.argv[0] === 'ip').map((c) => c.netns)).toEqual(
      expect.arrayContaining([undefined, '/run/netns/c1']),
    );
  });

  it("reports the IPAM CHECK's failure first, as the reference (which runs it first)", async () => {
    // The system side fails too here (the recording runtime cannot answer the route read).
    const out = await call('CHECK', { ...config(), prevResult }, { failIpam: ['CHECK'] });
    expect(out.error).toMatchObject({ code: 11, msg: 'injected IPAM CHECK failure' });
    // The reads ran beside it (they change nothing), and were awaited before the answer.
    expect(rt!.calls.filter((c) => c.argv[0] === 'ip')).toHaveLength(2);
    // ...and so it does when prevResult is missing.
    rt?.cleanup();
    rt = undefined;
    const bare = await call('CHECK', config(), { failIpam: ['CHECK'] });
    expect(bare.error?.msg).toBe('injected IPAM CHECK failure');
  });

  it("reports the system side's refusal when the IPAM CHECK passes", async () => {
    const out = await call('CHECK', config());
    expect(out.error?.msg).toBe('Required prevResult missing');
    expect(rt!.ipamCommands()).toEqual(['CHECK']);
  });
});

describe('a CNI_NETNS that cannot reach a command line', () => {
  const BAD = [
    'run/netns/c1', // relative
    '/run/netns/c 1',
    '/run/netns/c\t1',
    '/run/netns/c\u00a01',
    '/run/netns/"c1"',
    "/run/netns/c'1",
    '/run/netns/c#1',
    '/run/netns/c\\1',
    '/run/netns/../netns/c1',
    '/run/netns/c\u00001',
    `/${'n'.repeat(4096)}`,
  ];

  it.each(BAD)('ADD refuses %j before starting anything', async (netns) => {
    const out = await call('ADD', config(), {}, { CNI_NETNS: netns });
    expect(out.exitCode).toBe(1);
    expect(out.error?.msg).toBe(`failed to open netns ${JSON.stringify(netns)}: invalid path`);
    expect(rt!.calls).toEqual([]);
  });

  it.each(BAD.slice(0, 3))('CHECK refuses %j', async (netns) => {
    const prevResult = { cniVersion: '1.0.0', ips: [{ address: '10.1.2.5/24' }] };
    const out = await call('CHECK', { ...config(), prevResult }, {}, { CNI_NETNS: netns });
    expect(out.error?.msg).toBe(`failed to open netns ${JSON.stringify(netns)}: invalid path`);
  });

  it.each(BAD.slice(0, 3))(
    'DEL reports %j, and still releases the IP allocation',
    async (netns) => {
      const out = await call('DEL', config(), {}, { CNI_NETNS: netns });
      expect(out.error?.msg).toBe(`failed to open netns ${JSON.stringify(netns)}: invalid path`);
      expect(rt!.ipamCommands()).toEqual(['DEL']);
      expect(rt!.calls.some((c) => c.input.includes('link del'))).toBe(false);
    },
  );

  it('accepts the usual paths', async () => {
    for (const netns of ['/run/netns/cni-1234', '/proc/4242/ns/net', '/var/run/netns/a.b_c-d']) {
      const out = await call('ADD', config(), {}, { CNI_NETNS: netns });
      expect(out.error?.msg ?? '').not.toContain('invalid path');
      rt?.cleanup();
      rt = undefined;
    }
  });
});

describe('STATUS and GC', () => {
  it('STATUS asks IPAM; GC forwards to IPAM', async () => {
    const status = await call('STATUS', { ...config(), cniVersion: '1.1.0' });
    expect(status.exitCode).toBe(0);
    expect(rt!.ipamCommands()).toEqual(['STATUS']);
    const gc = await call('GC', {
      ...config(),
      cniVersion: '1.1.0',
      'cni.dev/valid-attachments': [{ containerID: 'a', ifname: 'eth0' }],
    });
    expect(gc.exitCode).toBe(0);
    expect(rt!.ipamCommands()).toEqual(['STATUS', 'GC']);
  });

  it('STATUS reports code 50 when a needed tool is missing', async () => {
    rt = new RecordingRuntime();
    rt.hasExecutable = (name: string) =>
      Promise.resolve(name !== 'nft' && name !== 'iptables-restore');
    const out = await call('STATUS', { ...config({ ipMasq: true }), cniVersion: '1.1.0' });
    expect(out.error?.code).toBe(50);
    expect(out.error?.details).toContain('iptables-restore or nft');
    expect(rt.ipamCommands()).toEqual([]);
  });

  const statusWithout = async (absent: string[], extra: Record<string, unknown> = {}) => {
    rt = new RecordingRuntime();
    rt.hasExecutable = (name: string) => Promise.resolve(!absent.includes(name));
    return call('STATUS', { ...config(extra), cniVersion: '1.1.0' });
  };

  it('STATUS wants nsenter and sh from a runtime that does not enter namespaces itself', async () => {
    const out = await statusWithout(['nsenter', 'sh']);
    expect(out.error).toMatchObject({ code: 50, details: 'missing executables: nsenter, sh' });
  });

  it("STATUS wants only the runtime's own tools when it names them (setns: no nsenter)", async () => {
    rt = new RecordingRuntime();
    rt.baseTools = ['ip'];
    rt.hasExecutable = (name: string) => Promise.resolve(name !== 'nsenter' && name !== 'sh');
    const ok = await call('STATUS', { ...config(), cniVersion: '1.1.0' });
    expect(ok.exitCode).toBe(0);
    expect(rt.ipamCommands()).toEqual(['STATUS']);
  });

  it.each([
    [{ vlan: 100 }, 'bridge'],
    [{ vlanTrunk: [{ id: 10 }] }, 'bridge'],
    [{ macspoofchk: true }, 'nft'],
  ])('STATUS of %j wants %s', async (extra, tool) => {
    const out = await statusWithout([tool], extra);
    expect(out.error).toMatchObject({ code: 50, details: `missing executables: ${tool}` });
    rt?.cleanup();
    const fine = await statusWithout([tool]);
    expect(fine.exitCode).toBe(0);
  });
});

describe('operator log', () => {
  it('writes one line per step with its duration to CNI_LOG_FILE, nothing to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnikit-log-'));
    try {
      const file = join(dir, 'bridge.log');
      const out = await call('ADD', config(), {}, { CNI_LOG_FILE: file });
      expect(out.exitCode).toBe(0);
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string; stepMs?: number });
      const steps = lines.filter((l) => l.stepMs !== undefined).map((l) => l.msg);
      expect(steps).toEqual(
        expect.arrayContaining([
          'host setup and IPAM ADD',
          'container setup, gateway, masquerade',
          'port state',
        ]),
      );
      expect(out.stdout).not.toContain('stepMs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
