/**
 * podman's CNI backend runs containers on a network served by the bridge under test (chained
 * with the reference portmap and tuning, as `podman network create` would): each container gets
 * its address, reaches its gateway and its neighbour, a `-p` mapping answers, `podman network
 * reload` (DEL then ADD with MAC= and IP= in CNI_ARGS) keeps the container's MAC and address,
 * and nothing is left afterwards. podman calls VERSION on every plugin first and drops the
 * network when the conflist's cniVersion is not listed, so attaching at all checks VERSION too.
 */
import { existsSync, readdirSync } from 'node:fs';
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
} from '@cnikit-tools/test-utils';
import { INDEX_BODY, PodmanWorld } from './support/podman.js';
import { assertBusybox, httpGet } from './support/traffic.js';

const NETWORK = 'cnk-podman';
const BRIDGE = 'cnkbr-pod0';
const GATEWAY = '10.78.0.1';
const HOST_PORT = 8080;

interface Attachment {
  name: string;
  ip: string;
  mac: string;
}

interface InspectNetworks {
  [network: string]: { IPAddress: string; MacAddress: string; Gateway: string };
}

describe.skipIf(!isRoot)(
  `podman (CNI backend) on our bridge (${bridgeUnderTestPath()}) [${NOT_ROOT_REASON}]`,
  { timeout: 120_000 },
  () => {
    let world: PodmanWorld;
    const attached = new Map<string, Attachment>();

    const attachmentOf = async (name: string): Promise<Attachment> => {
      const json = await world.mustPodman([
        'inspect',
        name,
        '--format',
        '{{json .NetworkSettings.Networks}}',
      ]);
      const net = (JSON.parse(json) as InspectNetworks)[NETWORK];
      if (!net) throw new Error(`${name} is not on ${NETWORK}: ${json}`);
      return { name, ip: net.IPAddress, mac: net.MacAddress };
    };
    const macIn = async (name: string): Promise<string> =>
      world.exec(name, ['cat', '/sys/class/net/eth0/address']);
    const ifindexIn = async (name: string): Promise<string> =>
      world.exec(name, ['cat', '/sys/class/net/eth0/ifindex']);

    setupOrFailEach(async () => {
      const bridge = bridgeUnderTest();
      assertBusybox();
      world = await PodmanWorld.open(bridge);
      world.writeNetwork(NETWORK, [
        {
          type: 'bridge',
          bridge: BRIDGE,
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: world.dataDir,
            ranges: [[{ subnet: '10.78.0.0/24', gateway: GATEWAY }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
        { type: 'tuning' },
      ]);
      await world.importImage();
    }, 300_000);

    afterAll(async () => {
      await world?.close();
    });

    test('each container gets its address on the bridge', async () => {
      await world.run(
        'web',
        ['--network', NETWORK, '-p', `${HOST_PORT}:80`],
        ['httpd', '-f', '-p', '80', '-h', '/www'],
      );
      await world.run('peer', ['--network', NETWORK], ['sleep', '3600']);
      for (const name of ['web', 'peer']) {
        const a = await attachmentOf(name);
        attached.set(name, a);
        expect(a.ip).toMatch(/^10\.78\.0\.\d+$/);
        const eth0 = await world.exec(name, ['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0']);
        expect(eth0).toContain(`${a.ip}/24`);
        expect(await macIn(name)).toBe(a.mac);
      }
      expect(attached.get('web')?.ip).not.toBe(attached.get('peer')?.ip);
      const ports = await mustExecIn(world.host, ['ip', '-br', 'link', 'show', 'master', BRIDGE]);
      expect(ports.trim().split('\n')).toHaveLength(2);
    });

    test('each reaches its gateway and its neighbour', async () => {
      const web = attached.get('web');
      const peer = attached.get('peer');
      if (!web || !peer) throw new Error('the containers were not attached');
      for (const [from, to] of [
        ['web', GATEWAY],
        ['peer', GATEWAY],
        ['web', peer.ip],
        ['peer', web.ip],
      ] as const) {
        const r = await world.podman(['exec', from, 'ping', '-c', '1', '-W', '2', to]);
        expect(r.exitCode, `${from} → ${to}: ${r.stdout}${r.stderr}`).toBe(0);
      }
    });

    test('the -p port mapping answers through portmap', async () => {
      const got = await httpGet(
        (argv) => execIn(world.host, argv, { timeoutMs: 10_000 }),
        `http://${GATEWAY}:${HOST_PORT}/`,
      );
      expect(got.exitCode, got.stderr).toBe(0);
      expect(got.stdout).toBe(INDEX_BODY);
    });

    test('network reload re-attaches with the same MAC and address', async () => {
      const before = attached.get('web');
      if (!before) throw new Error('web was not attached');
      const ifindexBefore = await ifindexIn('web');
      await world.mustPodman(['network', 'reload', 'web']);
      // A new ifindex shows the interface was deleted and made again (DEL, then ADD).
      expect(await ifindexIn('web')).not.toBe(ifindexBefore);
      expect(await macIn('web')).toBe(before.mac);
      expect(await attachmentOf('web')).toEqual(before);
      const got = await httpGet(
        (argv) => execIn(world.host, argv, { timeoutMs: 10_000 }),
        `http://${GATEWAY}:${HOST_PORT}/`,
      );
      expect(got.stdout).toBe(INDEX_BODY);
    });

    test('removing the containers leaves nothing', async () => {
      await world.mustPodman(['rm', '--all', '--force', '--time', '0']);
      const residue = await readResidue({
        host: world.host,
        ipamStore: { dataDir: world.dataDir, network: NETWORK },
      });
      expect(residue.hostLinks).toEqual([`${BRIDGE} (bridge)`]);
      expect(residue.reservations).toEqual([]);
      const ips = [...attached.values()].map((a) => a.ip);
      const nat = await mustExecIn(world.host, ['iptables-save', '-t', 'nat']);
      const mentions = (l: string): boolean =>
        l.includes('CNI-DN-') || ips.some((ip) => l.includes(ip));
      expect(nat.split('\n').filter(mentions)).toEqual([]);
      expect(residue.firewall.filter(mentions)).toEqual([]);
      // podman's network namespaces and libcni's cached results lived in the world's /run, /var/lib.
      const netnsDir = join(world.runDir, 'netns');
      expect(existsSync(netnsDir) ? readdirSync(netnsDir) : []).toEqual([]);
      const cache = join(world.dir, 'var-lib', 'cni', 'results');
      expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
      expect(world.cgroupLeftovers().filter((d) => d.includes('/libpod-'))).toEqual([]);
    });
  },
);
