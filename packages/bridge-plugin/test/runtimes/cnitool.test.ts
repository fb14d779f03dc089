/**
 * libcni, through cnitool, drives a chain of the bridge under test with the reference portmap
 * and tuning plugins: ADD, CHECK, DEL of two containers, traffic between them, a port mapping
 * that answers, and nothing left afterwards (no link, rule, reservation or cached result).
 * The reference portmap 1.1.1 fails its own CHECK when ip6tables exists and the container has no
 * IPv6 address, so the CHECK conflist leaves portmap out.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  bridgeUnderTest,
  bridgeUnderTestPath,
  execIn,
  isRoot,
  mustExecIn,
  NOT_ROOT_REASON,
  readResidue,
  setupOrFailEach,
  type Netns,
} from '@cnikit-tools/test-utils';
import { cnitoolBinary, cnitoolContainerId, CnitoolWorld } from './support/cnitool.js';
import { assertBusybox, HttpServer, httpGet, pingOnce } from './support/traffic.js';

const NETWORK = 'cnk-cnitool';
const BRIDGE = 'cnkbr-tool0';
const SUBNET = '10.77.0.0/24';
const GATEWAY = '10.77.0.1';
/** Host port of each container's mapping to its port 80. */
const HOST_PORTS = [8080, 8081] as const;
/** A per-netns sysctl tuning sets, to see that tuning ran inside the container. */
const SOMAXCONN = '517';

interface AddResult {
  cniVersion: string;
  interfaces: { name: string; mac?: string; sandbox?: string }[];
  ips: { address: string; gateway?: string; interface?: number }[];
}

interface Attached {
  ns: Netns;
  id: string;
  ip: string;
  result: AddResult;
}

const portMapping = (hostPort: number): Record<string, unknown> => ({
  portMappings: [{ hostPort, containerPort: 80, protocol: 'tcp' }],
});

async function natRules(host: Netns): Promise<string[]> {
  const out = await mustExecIn(host, ['iptables-save', '-t', 'nat']);
  return out.split('\n').filter((l) => l.startsWith('-A ') || l.startsWith(':'));
}

const hostVarLibCniExisted = existsSync('/var/lib/cni');

describe.skipIf(!isRoot)(
  `cnitool: bridge → portmap → tuning (${bridgeUnderTestPath()}) [${NOT_ROOT_REASON}]`,
  { timeout: 120_000 },
  () => {
    let world: CnitoolWorld;
    const attached: Attached[] = [];

    setupOrFailEach(async () => {
      const bridge = bridgeUnderTest();
      assertBusybox();
      world = await CnitoolWorld.open(await cnitoolBinary(), bridge);
      world.writeConfLists(
        {
          name: NETWORK,
          plugins: [
            {
              type: 'bridge',
              bridge: BRIDGE,
              isGateway: true,
              ipMasq: true,
              ipam: {
                type: 'host-local',
                dataDir: world.dataDir,
                ranges: [[{ subnet: SUBNET }]],
                routes: [{ dst: '0.0.0.0/0' }],
              },
            },
            { type: 'portmap', capabilities: { portMappings: true } },
            { type: 'tuning', sysctl: { 'net.core.somaxconn': SOMAXCONN } },
          ],
        },
        ['portmap'],
      );
    }, 600_000);

    afterAll(async () => {
      await world?.close();
    });

    test('ADD attaches two containers through the whole chain', async () => {
      for (const hostPort of HOST_PORTS) {
        const ns = await world.sandbox.container();
        const r = await world.run('add', NETWORK, ns, { capArgs: portMapping(hostPort) });
        expect(r.exitCode, r.stderr).toBe(0);
        const result = JSON.parse(r.stdout) as AddResult;
        const ip = result.ips[0]?.address.split('/')[0] ?? '';
        attached.push({ ns, id: cnitoolContainerId(ns.path), ip, result });

        expect(result.cniVersion).toBe('1.0.0');
        expect(result.ips).toHaveLength(1);
        expect(result.ips[0]).toMatchObject({ gateway: GATEWAY, interface: 2 });
        expect(result.interfaces.map((i) => i.name)).toEqual([
          BRIDGE,
          expect.stringMatching(/^veth/),
          'eth0',
        ]);
        expect(result.interfaces[2]?.sandbox).toBe(ns.path);
        const eth0 = await mustExecIn(ns, ['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0']);
        expect(eth0).toContain(`${ip}/24`);
        // tuning ran after the bridge, inside the container.
        const somaxconn = await mustExecIn(ns, ['cat', '/proc/sys/net/core/somaxconn']);
        expect(somaxconn.trim()).toBe(SOMAXCONN);
      }
      // libcni cached both final results (inside the session's /var/lib).
      expect(world.cachedResults()).toEqual(attached.map((a) => `${NETWORK}-${a.id}-eth0`).sort());
    });

    test('the containers reach each other and the gateway', async () => {
      const [a, b] = attached;
      if (!a || !b) throw new Error('ADD did not attach both containers');
      expect(a.ip).not.toBe(b.ip);
      expect(await pingOnce(a.ns, b.ip)).toBe(true);
      expect(await pingOnce(b.ns, a.ip)).toBe(true);
      expect(await pingOnce(a.ns, GATEWAY)).toBe(true);
    });

    test('portmap installed a DNAT per container, and the mapped port answers', async () => {
      const rules = await natRules(world.host);
      attached.forEach((a, i) => {
        const dnat = rules.filter((l) => l.includes(`--to-destination ${a.ip}:80`));
        expect(dnat.length, `DNAT rule for ${a.ip}`).toBe(1);
        expect(dnat[0]).toContain(`--dport ${HOST_PORTS[i]}`);
      });
      const [a] = attached;
      if (!a) throw new Error('ADD did not attach the first container');
      const docRoot = join(world.dir, 'www');
      mkdirSync(docRoot, { recursive: true });
      writeFileSync(join(docRoot, 'index.html'), `hello from ${a.id}\n`);
      const server = HttpServer.start(a.ns, docRoot, 80);
      try {
        const got = await httpGet(
          (argv) => execIn(world.host, argv, { timeoutMs: 10_000 }),
          `http://${GATEWAY}:${HOST_PORTS[0]}/`,
        );
        expect(got.exitCode, got.stderr).toBe(0);
        expect(got.stdout).toBe(`hello from ${a.id}\n`);
      } finally {
        await server.stop();
      }
    });

    test('CHECK (bridge and tuning) passes for both', async () => {
      for (const a of attached) {
        const r = await world.run('check', NETWORK, a.ns);
        expect(r.exitCode, r.stderr).toBe(0);
      }
    });

    test('CHECK fails once a container lost its default route', async () => {
      const b = attached[1];
      if (!b) throw new Error('ADD did not attach the second container');
      await mustExecIn(b.ns, ['ip', 'route', 'del', 'default']);
      try {
        const r = await world.run('check', NETWORK, b.ns);
        expect(r.exitCode).not.toBe(0);
        expect(r.stderr).toMatch(/route|0\.0\.0\.0/i);
      } finally {
        await mustExecIn(b.ns, ['ip', 'route', 'add', 'default', 'via', GATEWAY]);
      }
    });

    test('DEL removes everything: links, rules, reservations, cached results', async () => {
      for (const [i, a] of attached.entries()) {
        // Runtimes send DEL the same capability arguments as ADD.
        const r = await world.run('del', NETWORK, a.ns, {
          capArgs: portMapping(HOST_PORTS[i] ?? 0),
        });
        expect(r.exitCode, r.stderr).toBe(0);
      }
      const residue = await readResidue({
        host: world.host,
        containers: attached.map((a) => a.ns),
        ipamStore: { dataDir: world.dataDir, network: NETWORK },
      });
      expect(residue.hostLinks).toEqual([`${BRIDGE} (bridge)`]);
      expect(residue.containerLinks).toEqual([]);
      expect(residue.reservations).toEqual([]);
      const rules = await natRules(world.host);
      const mentions = (l: string): boolean =>
        l.includes('CNI-DN-') || attached.some((a) => l.includes(a.ip) || l.includes(a.id));
      expect(rules.filter(mentions)).toEqual([]);
      expect(residue.firewall.filter(mentions)).toEqual([]);
      expect(world.cachedResults()).toEqual([]);
    });

    test('the machine has no /var/lib/cni of ours', () => {
      // The cache only ever lived in the session's bound /var/lib.
      expect(existsSync('/var/lib/cni')).toBe(hostVarLibCniExisted);
    });
  },
);
