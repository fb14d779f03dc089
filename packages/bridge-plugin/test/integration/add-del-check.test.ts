import { NOT_ROOT_REASON, isRoot, type BridgeExecutableKind } from '@cnikit-tools/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, withPrev } from './harness.js';

const KINDS: BridgeExecutableKind[] = ['bun', 'node'];

describe.skipIf(!isRoot).each(KINDS)(
  `bridge ADD/CHECK/DEL with %s (${NOT_ROOT_REASON})`,
  (kind) => {
    let h: Harness;
    beforeEach(async () => {
      h = await new Harness(kind).start();
    });
    afterEach(() => h.cleanup());

    it('ADD wires the container, CHECK passes, DEL removes the veth and frees the IP', async () => {
      const c = await h.container();
      const conf = h.conf({ isDefaultGateway: true, mtu: 1400 });
      const result = await h.add(conf, { container: c });

      expect(result.cniVersion).toBe('1.0.0');
      const [br, veth, ctr] = result.interfaces ?? [];
      expect(br?.name).toBe(h.bridge);
      expect(veth?.name).toMatch(/^veth[0-9a-f]{8}$/);
      expect(ctr).toMatchObject({ name: 'eth0', sandbox: c.path });
      expect(result.ips).toEqual([{ address: '10.77.0.2/24', gateway: '10.77.0.1', interface: 2 }]);
      expect(result.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.77.0.1' }]);

      const links = await h.hostLinks();
      expect(links.get(h.bridge)?.linkinfo?.info_kind).toBe('bridge');
      expect(links.get(h.bridge)?.address).toBe(br?.mac);
      expect(links.get(veth!.name)).toMatchObject({
        master: h.bridge,
        mtu: 1400,
        address: veth?.mac,
      });
      expect(br?.mac).not.toBe(veth?.mac);
      expect(await h.addrs(h.host, h.bridge)).toEqual(['10.77.0.1/24']);
      expect(await h.addrs(c, 'eth0')).toEqual(['10.77.0.2/24']);
      const route = await h.inRun(c, ['ip', 'route', 'show', 'default']);
      expect(route).toContain('default via 10.77.0.1 dev eth0');
      expect((await h.inRun(c, ['cat', '/proc/sys/net/ipv4/conf/eth0/arp_notify'])).trim()).toBe(
        '1',
      );
      expect(h.allocations()).toEqual(['10.77.0.2']);

      // The gateway is reachable: traffic between our own namespaces only.
      await h.inRun(c, ['ping', '-c', '1', '-W', '2', '10.77.0.1']);

      const check = await h.call('CHECK', withPrev(conf, result), { container: c });
      expect(check).toMatchObject({ exitCode: 0, stdout: '' });

      const del = await h.call('DEL', withPrev(conf, result), { container: c });
      expect(del).toMatchObject({ exitCode: 0, stdout: '' });
      expect((await h.hostLinks()).has(veth!.name)).toBe(false);
      expect(h.allocations()).toEqual([]);
      expect((await h.call('DEL', conf, { container: c })).exitCode).toBe(0);
    });

    it('ADD with the same ifname twice fails and leaves the first attachment intact', async () => {
      const c = await h.container();
      const conf = h.conf({ isGateway: true });
      const first = await h.add(conf, { container: c });
      const second = await h.call('ADD', conf, { container: c, containerId: 'ctr2' });
      expect(second.exitCode).toBe(1);
      expect(second.error?.msg).toMatch(
        /^container veth name \("eth0"\) peer provided \("veth[0-9a-f]{8}"\) already exists$/,
      );
      expect(await h.addrs(c, 'eth0')).toEqual(['10.77.0.2/24']);
      expect(h.allocations()).toEqual(['10.77.0.2']);
      expect((await h.hostLinks()).has(first.interfaces![1]!.name)).toBe(true);
      const vethCount = [...(await h.hostLinks()).keys()].filter((n) =>
        n.startsWith('veth'),
      ).length;
      expect(vethCount).toBe(1);
    });

    it('L2 mode: no IPAM, the container link is up, CHECK works, DEL cleans', async () => {
      const c = await h.container();
      const conf = { cniVersion: '1.1.0', name: 'itest', type: 'bridge', bridge: h.bridge };
      const result = await h.add(conf, {
        container: c,
        args: 'IgnoreUnknown=1;MAC=02:11:22:33:44:55',
      });
      expect(result.ips).toBeUndefined();
      expect(result.interfaces?.[2]).toMatchObject({ name: 'eth0', mac: '02:11:22:33:44:55' });
      const link = JSON.parse(await h.inRun(c, ['ip', '-j', 'link', 'show', 'eth0'])) as Array<{
        flags: string[];
      }>;
      expect(link[0]?.flags).toContain('UP');
      expect((await h.call('CHECK', withPrev(conf, result), { container: c })).exitCode).toBe(0);
      expect((await h.call('DEL', conf, { container: c })).exitCode).toBe(0);
      expect([...(await h.hostLinks()).keys()].some((n) => n.startsWith('veth'))).toBe(false);
    });

    it('L2 with disableContainerInterface leaves the container link down', async () => {
      const c = await h.container();
      const conf = {
        cniVersion: '1.0.0',
        name: 'itest',
        type: 'bridge',
        bridge: h.bridge,
        disableContainerInterface: true,
      };
      await h.add(conf, { container: c });
      const link = JSON.parse(await h.inRun(c, ['ip', '-j', 'link', 'show', 'eth0'])) as Array<{
        flags: string[];
      }>;
      expect(link[0]?.flags).not.toContain('UP');
    });

    it('hairpin and port isolation are set on the port, and CHECK notices a change', async () => {
      const c = await h.container();
      const conf = h.conf({ isGateway: true, hairpinMode: true, portIsolation: true });
      const result = await h.add(conf, { container: c });
      const veth = result.interfaces![1]!.name;
      const slave = (await h.hostLinks()).get(veth)?.linkinfo?.info_slave_data;
      expect(slave).toMatchObject({ hairpin: true, isolated: true });
      await h.hostRun(['ip', 'link', 'set', 'dev', veth, 'type', 'bridge_slave', 'hairpin', 'off']);
      const check = await h.call('CHECK', withPrev(conf, result), { container: c });
      expect(check.exitCode).toBe(1);
      expect(check.error?.msg).toContain('hairpin');
    });

    it('CHECK fails when the container address was removed or prevResult is missing', async () => {
      const c = await h.container();
      const conf = h.conf({ isGateway: true });
      const result = await h.add(conf, { container: c });
      expect((await h.call('CHECK', conf, { container: c })).error?.msg).toBe(
        'Required prevResult missing',
      );
      await h.inRun(c, ['ip', 'addr', 'del', '10.77.0.2/24', 'dev', 'eth0']);
      const check = await h.call('CHECK', withPrev(conf, result), { container: c });
      expect(check.error?.msg).toBe('Failed to match addr 10.77.0.2/24 on interface eth0');
    });

    it('prints older result versions (0.3.1, 0.2.0)', async () => {
      const c1 = await h.container();
      const r031 = await h.add(h.conf({ cniVersion: '0.3.1', isGateway: true }), { container: c1 });
      expect(r031).toMatchObject({
        cniVersion: '0.3.1',
        ips: [{ version: '4', address: '10.77.0.2/24', interface: 2 }],
      });
      const c2 = await h.container();
      const r020 = await h.call(
        'ADD',
        { cniVersion: '0.2.0', name: 'itest', type: 'bridge', bridge: h.bridge },
        { container: c2, containerId: 'ctr2' },
      );
      expect(r020.exitCode).toBe(1);
      expect(r020.error?.msg).toContain('cannot convert');
    });

    it('a chained ADD keeps prevResult and offsets the interface index', async () => {
      const c = await h.container();
      const prevResult = {
        cniVersion: '1.0.0',
        interfaces: [{ name: 'dummy0' }],
        ips: [{ address: '192.168.50.2/24', interface: 0 }],
      };
      const result = await h.add(h.conf({ prevResult }), { container: c });
      expect(result.interfaces?.map((i) => i.name)[0]).toBe('dummy0');
      expect(result.ips).toEqual([
        { address: '192.168.50.2/24', interface: 0 },
        { address: '10.77.0.2/24', gateway: '10.77.0.1', interface: 3 },
      ]);
    });

    it('STATUS passes on the IPAM answer and succeeds without IPAM', async () => {
      // Debian's host-local predates STATUS and refuses it; its error is passed on unchanged.
      const withIpam = await h.call('STATUS', h.conf({ cniVersion: '1.1.0' }));
      expect(withIpam.error).toMatchObject({ code: 3, msg: 'missing containerID' });
      expect(
        (await h.call('STATUS', { cniVersion: '1.1.0', name: 'x', type: 'bridge' })).exitCode,
      ).toBe(0);
    });

    it('refuses a bad config with the reference text and touches nothing', async () => {
      const c = await h.container();
      const r = await h.call('ADD', h.conf({ portIsolation: 'true' }), { container: c });
      expect(r.error).toEqual({
        cniVersion: '1.0.0',
        code: 999,
        msg: 'failed to load netconf: json: cannot unmarshal string into Go struct field NetConf.portIsolation of type bool',
      });
      expect((await h.hostLinks()).has(h.bridge)).toBe(false);
    });
  },
);
