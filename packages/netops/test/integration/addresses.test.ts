// Addresses, routes, sysctls, DAD and undo, in throwaway namespaces only (Sandbox), as root.
import {
  execIn,
  isRoot,
  mustExecIn,
  NOT_ROOT_REASON,
  Sandbox,
  type Netns,
} from '@cnikit-tools/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyBatch,
  interfaceSysctl,
  IpBatch,
  Journal,
  listAddrs,
  listRoutes,
  queryBatch,
  settleAddresses,
  showLink,
  writeSysctls,
} from '../../src/index.js';

describe.skipIf(!isRoot)(
  `addresses, routes and sysctls in throwaway namespaces (${NOT_ROOT_REASON})`,
  () => {
    let sandbox: Sandbox;
    let host: Netns;
    let container: Netns;

    beforeEach(async () => {
      sandbox = new Sandbox();
      host = await sandbox.host();
      container = await sandbox.container();
      // A plain veth between the two: veth0 in the host, eth0 in the container.
      await applyBatch(
        new IpBatch()
          .vethAdd({ name: 'veth0', peerName: 'eth0', peerNetns: container.path })
          .linkSet('veth0', { up: true })
          .addrAdd('veth0', '10.22.0.1/16'),
        { netns: host.path },
      );
    });
    afterEach(async () => {
      await sandbox.cleanup();
    });

    const sysctlIn = async (ns: Netns, path: string) =>
      (await mustExecIn(ns, ['cat', `/proc/sys/${path}`])).trim();

    it('configures a container in ONE process: sysctls, addresses, up, ECMP routes, reads', async () => {
      const b = new IpBatch()
        .addrAdd('eth0', '10.22.0.5/16')
        .addrAdd('eth0', 'fd00:22::5/64', { nodad: true })
        .linkSet('eth0', { up: true })
        .routeAdd({ dst: 'default', via: '10.22.0.1', dev: 'eth0' })
        .routePrepend({ dst: '10.50.0.0/16', via: '10.22.0.2', dev: 'eth0', metric: 5 })
        .routePrepend({ dst: '10.50.0.0/16', via: '10.22.0.3', dev: 'eth0', metric: 5 })
        .routeAdd({
          dst: '10.60.0.0/16',
          via: '10.22.0.1',
          table: 7,
          mtu: 1300,
          advmss: 1200,
          scope: 'global',
        })
        .routePrepend({ dst: 'fd00:99::/64', via: 'fd00:22::1', dev: 'eth0' })
        .routePrepend({ dst: 'fd00:99::/64', via: 'fd00:22::2', dev: 'eth0' });
      const routesRead = b.query(listRoutes({ family: 4 }));
      const table7Read = b.query(listRoutes({ table: 7 }));
      const v6Read = b.query(listRoutes({ family: 6 }));
      const linkRead = b.query(showLink('eth0'));
      const r = await applyBatch(b, {
        netns: container.path,
        sysctls: [
          { name: interfaceSysctl('ipv6', 'eth0', 'accept_dad'), value: 0 },
          { name: interfaceSysctl('ipv4', 'eth0', 'arp_notify'), value: 1 },
        ],
      });
      expect(r.processes).toBe(1);
      expect(r.sysctls.map((s) => s.status)).toEqual(['set', 'set']);
      expect(await sysctlIn(container, 'net/ipv6/conf/eth0/accept_dad')).toBe('0');
      expect(await sysctlIn(container, 'net/ipv4/conf/eth0/arp_notify')).toBe('1');

      const v4 = r.read(routesRead);
      expect(v4.find((x) => x.dst === '0.0.0.0/0')?.gateway).toBe('10.22.0.1');
      expect(
        v4
          .filter((x) => x.dst === '10.50.0.0/16')
          .map((x) => x.gateway)
          .sort(),
      ).toEqual(['10.22.0.2', '10.22.0.3']);
      expect(r.read(table7Read)).toEqual([
        expect.objectContaining({
          dst: '10.60.0.0/16',
          gateway: '10.22.0.1',
          mtu: 1300,
          advmss: 1200,
        }),
      ]);
      // IPv6 routes to one prefix through two gateways: the kernel merges them into a multipath route.
      const v6 = r.read(v6Read).filter((x) => x.dst === 'fd00:99::/64');
      const gateways = v6.flatMap((x) =>
        x.nexthops.length > 0 ? x.nexthops.map((h) => h.gateway) : [x.gateway],
      );
      expect(gateways.sort()).toEqual(['fd00:22::1', 'fd00:22::2']);
      expect(
        r
          .read(linkRead)
          ?.addresses.map((a) => a.cidr)
          .slice(0, 2),
      ).toEqual(['10.22.0.5/16', 'fd00:22::5/64']);

      // Traffic flows between our own two namespaces.
      const ping = await execIn(container, ['ping', '-c', '1', '-W', '2', '10.22.0.1']);
      expect(ping.exitCode).toBe(0);
    });

    it('tolerates an address that is already there when asked, and reports it otherwise', async () => {
      const add = () => new IpBatch().addrAdd('eth0', '10.22.0.5/16');
      await applyBatch(add(), { netns: container.path });
      await expect(applyBatch(add(), { netns: container.path })).rejects.toMatchObject({
        kind: 'exists',
        line: 1,
      });
      const r = await applyBatch(add(), { netns: container.path, tolerate: ['exists'] });
      expect(r.outcomes[0]?.status).toBe('tolerated');
      const del = await applyBatch(
        new IpBatch()
          .addrDel('eth0', '10.22.0.5/16')
          .addrDel('eth0', '10.22.0.5/16', { tolerate: ['not-found'] }),
        { netns: container.path, onError: 'continue' },
      );
      expect(del.outcomes.map((o) => [o.status, o.kind])).toEqual([
        ['ok', undefined],
        ['tolerated', 'not-found'],
      ]);
    });

    it('writes sysctls of an interface whose name has a dot (slash form), and reports failures', async () => {
      await applyBatch(new IpBatch().vethAdd({ name: 'br0.100', peerName: 'vethgw0' }), {
        netns: host.path,
      });
      const name = interfaceSysctl('ipv6', 'br0.100', 'accept_ra');
      expect(await sysctlIn(host, 'net/ipv6/conf/br0.100/accept_ra')).not.toBe('0');
      const out = await writeSysctls(
        [
          { name, value: 0 },
          { name: interfaceSysctl('ipv6', 'nope0', 'accept_ra'), value: 0, optional: true },
        ],
        { netns: host.path },
      );
      expect(out.map((o) => o.status)).toEqual(['set', 'failed']);
      expect(await sysctlIn(host, 'net/ipv6/conf/br0.100/accept_ra')).toBe('0');
      await expect(
        writeSysctls([{ name: interfaceSysctl('ipv6', 'nope0', 'accept_ra'), value: 0 }], {
          netns: host.path,
        }),
      ).rejects.toMatchObject({ kind: 'not-found', stage: 'sysctl', netns: host.path });
    });

    it('settles IPv6 addresses: nodad at once, a duplicate fails DAD', async () => {
      await applyBatch(new IpBatch().addrAdd('veth0', 'fd00:44::1/64', { nodad: true }), {
        netns: host.path,
      });
      await applyBatch(
        new IpBatch()
          .linkSet('eth0', { up: true })
          .addrAdd('eth0', 'fd00:44::2/64', { nodad: true }),
        { netns: container.path },
      );
      const ok = await settleAddresses('eth0', { netns: container.path });
      expect(ok.find((a) => a.cidr === 'fd00:44::2/64')?.tentative).toBe(false);

      await applyBatch(new IpBatch().addrAdd('eth0', 'fd00:44::1/64'), {
        netns: container.path,
        sysctls: [{ name: interfaceSysctl('ipv6', 'eth0', 'accept_dad'), value: 1 }],
      });
      await expect(settleAddresses('eth0', { netns: container.path })).rejects.toThrowError(
        /fd00:44::1\/64 on eth0 failed duplicate address detection/,
      );
      const [addrs] = await queryBatch([listAddrs('eth0', { family: 6, scope: 'global' })], {
        netns: container.path,
      });
      expect(addrs.find((a) => a.cidr === 'fd00:44::1/64')?.dadfailed).toBe(true);
    });

    it('undoes a half-done ADD from its journal, one process per namespace', async () => {
      const journal = new Journal();
      await applyBatch(
        new IpBatch().vethAdd({
          name: 'veth1',
          peerName: 'eth1',
          peerNetns: container.path,
          txQueueLen: 0,
        }),
        { netns: host.path, journal },
      );
      const failing = new IpBatch()
        .addrAdd('eth1', '10.33.0.5/16')
        .linkSet('eth1', { up: true })
        .routeAdd({ dst: '10.77.0.0/16', via: '192.0.2.1', dev: 'eth1' }); // unreachable gateway
      const err: unknown = await applyBatch(failing, { netns: container.path, journal }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ line: 3, stage: 'command' });
      expect(journal.plan().map((s) => [s.netns, s.undo.text()])).toEqual([
        [container.path, 'addr del 10.33.0.5/16 dev eth1\n'],
        [host.path, 'link del dev veth1\n'],
      ]);
      expect(await journal.rollback()).toEqual([]);
      const [[h], [c]] = await Promise.all([
        queryBatch([showLink('veth1')], { netns: host.path }),
        queryBatch([showLink('eth1')], { netns: container.path }),
      ]);
      expect(h).toBeUndefined();
      expect(c).toBeUndefined();
    });
  },
);
