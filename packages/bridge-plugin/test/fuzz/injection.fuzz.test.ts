/**
 * Injection safety of the bridge plugin: hostile names and values in every input that can reach a
 * command (bridge name, CNI_IFNAME, container ID, network name, MAC, netns path, VLANs, MTU,
 * prevResult, and IPAM results printed by a real fake IPAM executable). Whatever the plugin
 * answers, every argv element, batch line and rule script it produced must follow the grammar.
 */
import { checkCniOutcome, interfaceNameProblem } from '@cnikit-tools/test-utils';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  goCaseVariant,
  hostileAddress,
  hostileIpamOutput,
  hostileString,
  nearIfName,
} from './arbitraries.js';
import type { FakeHost } from './fake-kernel.js';
import { baseConfig, expectCleanCalls, expectNotVerbatim, startFakeHost } from './support.js';

let host: FakeHost;
let trusted: ReadonlySet<string>;
beforeAll(async () => {
  ({ host, trusted } = await startFakeHost());
});
afterAll(() => host.cleanup());

const NETNS = '/run/netns/fuzz';
const CANNED_IPAM = {
  kind: 'canned',
  stdout: JSON.stringify({ cniVersion: '1.0.0', ips: [{ address: '10.1.2.5/24' }] }),
} as const;

/** A prevResult as the bridge's own ADD would return it. */
const prevResult = (bridge: string, ifName: string) => ({
  cniVersion: '1.1.0',
  interfaces: [
    { name: bridge, mac: '02:00:00:00:00:0b' },
    { name: 'vethabababab', mac: '02:00:00:00:00:0c' },
    { name: ifName, mac: '02:00:00:00:00:0d', sandbox: NETNS },
  ],
  ips: [{ address: '10.1.2.5/24', gateway: '10.1.2.1', interface: 2 }],
});

/** Runs one request and holds it to the outcome and grammar checks. */
async function run(command: string, config: object, env: Record<string, string | undefined> = {}) {
  const out = await host.invoke(host.env(command, { CNI_NETNS_OVERRIDE: '1', ...env }), config);
  const error = checkCniOutcome(out);
  expectCleanCalls(host.recorder.calls, trusted);
  expectNotVerbatim(host.recorder.calls, [
    ...stringsIn(config),
    ...Object.values(env).flatMap(stringsIn),
  ]);
  return { out, error };
}

/** Every string inside a JSON-like value (keys included). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

const command = fc.constantFrom('ADD', 'DEL', 'CHECK');

describe('hostile names never reach a command unvalidated', () => {
  it('bridge names', async () => {
    await fc.assert(
      fc.asyncProperty(nearIfName, command, fc.boolean(), async (bridge, cmd, vlan) => {
        const config = {
          ...baseConfig(),
          bridge,
          ...(vlan ? { vlan: 100, isDefaultGateway: true } : {}),
          prevResult: prevResult(bridge, 'eth0'),
        };
        const { out } = await run(cmd, config);
        if (cmd === 'ADD' && out.exitCode === 0) {
          expect(interfaceNameProblem(bridge)).toBeUndefined();
          expect(bridge.startsWith('-')).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('CNI_IFNAME', async () => {
    await fc.assert(
      fc.asyncProperty(nearIfName, command, async (ifName, cmd) => {
        const config = {
          ...baseConfig(),
          macspoofchk: true,
          prevResult: prevResult('br0', ifName),
        };
        const { out } = await run(cmd, config, { CNI_IFNAME: ifName });
        if (out.exitCode === 0) expect(interfaceNameProblem(ifName)).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('container IDs and GC attachments', async () => {
    const id = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$/), hostileString);
    await fc.assert(
      fc.asyncProperty(
        id,
        fc.constantFrom('ADD', 'DEL', 'GC'),
        fc.constantFrom('iptables', 'nftables'),
        async (containerId, cmd, backend) => {
          const config = {
            ...baseConfig(),
            macspoofchk: true,
            ipMasqBackend: backend,
            'cni.dev/valid-attachments': [{ containerID: containerId, ifname: 'eth0' }],
          };
          await run(cmd, config, { CNI_CONTAINERID: containerId });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('network names, also smuggled past the skel by a case-variant duplicate key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$/), hostileString),
        goCaseVariant('name').filter((k) => k !== 'name'),
        fc.constantFrom('ADD', 'DEL', 'GC'),
        fc.constantFrom('iptables', 'nftables'),
        async (name, key, cmd, backend) => {
          // The skel validates "name"; the bridge decodes as Go does, so the later key wins.
          const config = { ...baseConfig(), ipMasqBackend: backend, [key]: name };
          await run(cmd, config);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('netns paths', async () => {
    const path = fc.oneof(
      fc.constantFrom(
        '/run/netns/a b',
        '/run/netns/a\nb',
        '/run/netns/../x',
        'run/netns/x',
        '/run/netns/"x"',
        '/run/netns/#x',
        '/proc/1/ns/net',
        '/',
      ),
      fc.stringMatching(/^\/[a-z0-9/._-]{0,30}$/),
      hostileString.map((s) => `/run/netns/${s}`),
      hostileString,
    );
    await fc.assert(
      fc.asyncProperty(path, command, async (netns, cmd) => {
        const config = { ...baseConfig(), prevResult: prevResult('br0', 'eth0') };
        await run(cmd, config, { CNI_NETNS: netns });
      }),
      { numRuns: 150 },
    );
  });
});

describe('hostile values never reach a command unvalidated', () => {
  const macText = fc.oneof(
    fc.constantFrom(
      '02:00:00:00:00:01',
      '02-AB-00-00-00-01',
      '02AB.0000.0001',
      '01:00:00:00:00:01',
      '00:00:00:00:00:00',
      '02:00:00:00:00:01:02:03',
      '02:00:00:00:00:1',
      ' 02:00:00:00:00:01',
      '02:00:00:00:00:01\n',
    ),
    fc
      .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
      .map((o) => o.map((b) => b.toString(16).padStart(2, '0')).join(':')),
    hostileString,
  );

  it('container MACs from CNI_ARGS, args.cni.mac and runtimeConfig.mac', async () => {
    await fc.assert(
      fc.asyncProperty(
        macText,
        fc.constantFrom('env', 'args', 'runtimeConfig'),
        async (mac, source) => {
          const config: Record<string, unknown> = { ...baseConfig(), macspoofchk: true };
          if (source === 'args') config.args = { cni: { mac } };
          if (source === 'runtimeConfig') config.runtimeConfig = { mac };
          const args = source === 'env' ? `IgnoreUnknown=1;MAC=${mac}` : undefined;
          const { out } = await run('ADD', config, { CNI_ARGS: args });
          // In CNI_ARGS the MAC's value ends at the first ';' (the rest are other pairs).
          const asked = source === 'env' ? (mac.split(';')[0] ?? '') : mac;
          if (out.exitCode !== 0 || asked === '') return;
          // The MAC that reached the veth line is the canonical form of the one asked for.
          const hostBatch =
            host.recorder.calls.find((c) => c.input.includes(' type veth '))?.input ?? '';
          expect(hostBatch).toMatch(/ peer name eth0 address [0-9a-f]{2}(:[0-9a-f]{2}){5} /);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('VLANs, VLAN trunks and MTUs', async () => {
    const int = fc.oneof(
      fc.integer({ min: -3, max: 70_000 }),
      fc.constantFrom(0, 1, 67, 68, 4094, 4095, 65535, 65536, 2 ** 31, 2 ** 53),
    );
    await fc.assert(
      fc.asyncProperty(
        int,
        int,
        fc.array(fc.record({ minID: int, maxID: int, id: int }, { requiredKeys: [] }), {
          maxLength: 2,
        }),
        fc.boolean(),
        async (vlan, mtu, vlanTrunk, preserveDefaultVlan) => {
          const config = {
            ...baseConfig(),
            vlan,
            mtu,
            vlanTrunk,
            preserveDefaultVlan,
            isDefaultGateway: true,
          };
          await run('ADD', config);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('prevResult interfaces, addresses and routes (CHECK)', async () => {
    const hostileResult = fc.record({
      cniVersion: fc.constant('1.1.0'),
      interfaces: fc.array(
        fc.record({
          name: nearIfName,
          mac: fc.oneof(fc.constant('02:00:00:00:00:0c'), hostileString),
          sandbox: fc.oneof(fc.constant(NETNS), fc.constant(''), hostileString),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      ips: fc.array(
        fc.record({ address: hostileAddress, interface: fc.integer({ min: 0, max: 3 }) }),
        { maxLength: 2 },
      ),
      routes: fc.array(
        fc.record(
          { dst: hostileAddress, gw: fc.oneof(fc.ipV4(), hostileString) },
          { requiredKeys: ['dst'] },
        ),
        { maxLength: 2 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(hostileResult, fc.boolean(), async (prev, withNames) => {
        if (withNames)
          prev.interfaces.unshift(
            { name: 'br0', mac: '02:00:00:00:00:0b', sandbox: '' },
            { name: 'eth0', mac: '', sandbox: NETNS },
          );
        await run('CHECK', { ...baseConfig(), prevResult: prev });
      }),
      { numRuns: 200 },
    );
  });

  /** ADD with the current IPAM output; the result's addresses must be plain CIDRs. */
  async function addWithIpam(defaultGw: boolean, ipMasq: boolean): Promise<void> {
    const config = { ...baseConfig(), isDefaultGateway: defaultGw, ipMasq };
    const { out, error } = await run('ADD', config);
    expect(host.recorder.calls.some((c) => c.argv[0]?.endsWith('/fuzz-ipam'))).toBe(true);
    if (error !== undefined) expect([1, 6, 7, 999]).toContain(error.code);
    if (out.exitCode === 0) {
      for (const ip of (out.result as { ips?: Array<{ address: string }> }).ips ?? [])
        expect(ip.address).toMatch(/^[0-9a-f:.]+\/\d{1,3}$/);
    }
  }

  it('IPAM results (the runner plays the IPAM plugin)', async () => {
    try {
      await fc.assert(
        fc.asyncProperty(
          hostileIpamOutput,
          fc.boolean(),
          fc.boolean(),
          async (stdout, gw, masq) => {
            host.ipam = { kind: 'canned', stdout };
            await addWithIpam(gw, masq);
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      host.ipam = CANNED_IPAM;
    }
  });

  it('IPAM results printed by a real (fake) IPAM executable', async () => {
    host.ipam = { kind: 'executable' };
    try {
      await fc.assert(
        fc.asyncProperty(
          hostileIpamOutput,
          fc.boolean(),
          fc.boolean(),
          async (stdout, gw, masq) => {
            host.writeIpamResult(stdout);
            await addWithIpam(gw, masq);
          },
        ),
        { numRuns: 20 },
      );
    } finally {
      host.ipam = CANNED_IPAM;
    }
  });
});

describe('lone surrogates (text that is not valid UTF-16)', () => {
  // A lone surrogate reaching ip's stdin would be encoded as U+FFFD: the link made would not be
  // the one named in the result. netops' validators refuse it before any command runs.
  const surrogate = fc
    .tuple(fc.stringMatching(/^[a-z]{0,6}$/), fc.integer({ min: 0xd800, max: 0xdfff }))
    .map(([name, unit]) => `${name}${String.fromCharCode(unit)}x`);

  it('in a bridge name', async () => {
    await fc.assert(
      fc.asyncProperty(surrogate, async (bridge) => {
        await run('ADD', { ...baseConfig(), bridge });
      }),
      { numRuns: 5 },
    );
  });

  it('in CNI_IFNAME', async () => {
    await fc.assert(
      fc.asyncProperty(surrogate, async (ifName) => {
        await run('ADD', baseConfig(), { CNI_IFNAME: ifName });
      }),
      { numRuns: 5 },
    );
  });

  it('in CNI_NETNS', async () => {
    await fc.assert(
      fc.asyncProperty(surrogate, async (name) => {
        await run('ADD', baseConfig(), { CNI_NETNS: `/run/netns/${name}` });
      }),
      { numRuns: 5 },
    );
  });
});

describe('ipMasqBackend named like an Object.prototype member', () => {
  const protoName = fc.constantFrom(
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
  );

  it('ADD refuses it as an unknown backend before running anything', async () => {
    await fc.assert(
      fc.asyncProperty(protoName, async (backend) => {
        const { error } = await run('ADD', { ...baseConfig(), ipMasqBackend: backend });
        expect(error).toMatchObject({
          code: 999,
          msg: `unknown ipmasq backend ${JSON.stringify(backend)}`,
        });
        expect(host.recorder.calls).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });

  // STATUS looks the backend's tools up by own key only: "__proto__" must not find a prototype member.
  it('STATUS answers as for any other unknown backend, not with an engine error', async () => {
    await fc.assert(
      fc.asyncProperty(protoName, async (backend) => {
        const { error } = await run('STATUS', { ...baseConfig(), ipMasqBackend: backend });
        expect(error).toBeUndefined();
      }),
      { numRuns: 10 },
    );
  });
});
