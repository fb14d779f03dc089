/**
 * configureInterface against the kernel, inside throwaway namespaces: a "host" namespace holding
 * one end of a veth pair (the gateway side) and a container namespace holding `eth0`.
 */
import type { Result } from '@cnikit/cni-skel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  NOT_ROOT_REASON,
  Sandbox,
  execIn,
  isRoot,
  mustExecIn,
  type Netns,
} from '@cnikit-tools/test-utils';
import { configureInterface } from '../src/index.ts';
import { isIpamError } from '../src/errors.ts';

interface AddrJson {
  family: string;
  local: string;
  prefixlen: number;
  broadcast?: string;
  tentative?: boolean;
  dadfailed?: boolean;
}

const ifaces = (ns: Netns) => [{ name: 'hv0' }, { name: 'eth0', sandbox: ns.path }];

/** A veth pair: `hostSide` in `host`, its peer `eth0` in `container`. */
const addVeth = (host: Netns, hostSide: string, container: Netns) =>
  mustExecIn(host, [
    'ip',
    'link',
    'add',
    hostSide,
    'type',
    'veth',
    'peer',
    'name',
    'eth0',
    'netns',
    container.name,
  ]);

/** Writes a sysctl (`net/ipv6/conf/eth0/accept_dad`) inside `ns`. */
const writeSysctl = (ns: Netns, name: string, value: number) =>
  mustExecIn(ns, ['sh', '-c', `echo ${value} > /proc/sys/${name}`]);

describe.skipIf(!isRoot)(`configureInterface in a container namespace (${NOT_ROOT_REASON})`, () => {
  let sandbox: Sandbox;
  let host: Netns;
  let ctr: Netns;

  beforeEach(async () => {
    sandbox = new Sandbox();
    host = await sandbox.host();
    ctr = await sandbox.container();
    // eth0 in the container, hv0 (the gateway side) in the host namespace.
    await addVeth(host, 'hv0', ctr);
    await mustExecIn(host, ['ip', 'addr', 'add', '10.1.0.1/16', 'dev', 'hv0']);
    await mustExecIn(host, ['ip', 'addr', 'add', 'fd00::1/64', 'dev', 'hv0', 'nodad']);
    await mustExecIn(host, ['ip', 'link', 'set', 'hv0', 'up']);
  });
  afterEach(async () => {
    await sandbox.cleanup();
  });

  const addrs = async (ns: Netns, dev = 'eth0'): Promise<AddrJson[]> => {
    const out = await mustExecIn(ns, ['ip', '-j', 'addr', 'show', 'dev', dev]);
    return (JSON.parse(out) as Array<{ addr_info: AddrJson[] }>)[0]?.addr_info ?? [];
  };
  const routes = (args: string[]) => mustExecIn(ctr, ['ip', ...args]);
  const sysctl = async (name: string) =>
    (await mustExecIn(ctr, ['cat', `/proc/sys/${name}`])).trim();

  it('IPv4: address, link up and routes in one process; the gateway answers', async () => {
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces(ctr),
      ips: [{ address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 1 }],
      routes: [{ dst: '0.0.0.0/0' }],
    };
    const report = await configureInterface({ netns: ctr.path, ifName: 'eth0', result });
    expect(report.processes).toBe(1);
    const v4 = (await addrs(ctr)).filter((a) => a.family === 'inet');
    // The broadcast address is set, as Go's netlink does for the reference.
    expect(v4).toMatchObject([{ local: '10.1.0.5', prefixlen: 16, broadcast: '10.1.255.255' }]);
    expect(await routes(['route', 'show', 'default'])).toBe('default via 10.1.0.1 dev eth0 \n');
    const ping = await execIn(ctr, ['ping', '-c', '1', '-W', '5', '10.1.0.1']);
    expect(ping.exitCode).toBe(0);
  });

  it('IPv6 with a gateway: enables IPv6, waits for DAD, then routes', async () => {
    await writeSysctl(ctr, 'net/ipv6/conf/eth0/disable_ipv6', 1);
    await writeSysctl(ctr, 'net/ipv6/conf/eth0/accept_dad', 1);
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces(ctr),
      ips: [{ address: 'fd00::5/64', gateway: 'fd00::1', interface: 1 }],
      routes: [{ dst: '::/0' }],
    };
    // A generous bound: DAD takes about a second, more on a loaded machine.
    const report = await configureInterface({
      netns: ctr.path,
      ifName: 'eth0',
      result,
      settleTimeoutMs: 20_000,
    });
    // One batch, at least one wait read (DAD takes about a second here), one route batch.
    expect(report.processes).toBeGreaterThanOrEqual(3);
    expect(await sysctl('net/ipv6/conf/eth0/disable_ipv6')).toBe('0');
    expect(await sysctl('net/ipv6/conf/lo/disable_ipv6')).toBe('0');
    expect(await sysctl('net/ipv6/conf/eth0/keep_addr_on_down')).toBe('1');
    const v6 = (await addrs(ctr)).filter((a) => a.local === 'fd00::5');
    expect(v6).toHaveLength(1);
    expect(v6[0]?.tentative).toBeUndefined();
    expect(await routes(['-6', 'route', 'show', 'default'])).toMatch(
      /^default via fd00::1 dev eth0 /,
    );
    const ping = await execIn(ctr, ['ping', '-6', '-c', '1', '-W', '5', 'fd00::1']);
    expect(ping.exitCode).toBe(0);
  });

  it('dual stack with DAD off (as the bridge passes it): about two processes', async () => {
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces(ctr),
      ips: [
        { address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 1 },
        { address: 'fd00::5/64', gateway: 'fd00::1', interface: 1 },
      ],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0' }],
    };
    const report = await configureInterface({
      netns: ctr.path,
      ifName: 'eth0',
      result,
      extraSysctls: [
        { name: 'net/ipv6/conf/eth0/accept_dad', value: 0 },
        { name: 'net/ipv4/conf/eth0/arp_notify', value: 1 },
      ],
    });
    // Usually two (the in-batch read finds DAD done); the kernel finishes even a disabled DAD
    // in a work item, so a loaded machine may need a wait read or two.
    expect(report.processes).toBeGreaterThanOrEqual(2);
    expect(report.processes).toBeLessThanOrEqual(5);
    expect(await sysctl('net/ipv6/conf/eth0/accept_dad')).toBe('0');
    expect(await sysctl('net/ipv4/conf/eth0/arp_notify')).toBe('1');
    expect(await routes(['route', 'show', 'default'])).toMatch(/^default via 10\.1\.0\.1 dev eth0/);
    expect(await routes(['-6', 'route', 'show', 'default'])).toMatch(
      /^default via fd00::1 dev eth0/,
    );
  });

  it('ECMP: several routes to one prefix all go in', async () => {
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces(ctr),
      ips: [
        { address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 1 },
        { address: 'fd00::5/64', interface: 1 },
      ],
      routes: [
        { dst: '10.50.0.0/16' },
        { dst: '10.50.0.0/16', gw: '10.1.0.2' },
        { dst: 'fd50::/64', gw: 'fd00::2' },
        { dst: 'fd50::/64', gw: 'fd00::3' },
      ],
    };
    await configureInterface({ netns: ctr.path, ifName: 'eth0', result });
    const v4 = await routes(['route', 'show', '10.50.0.0/16']);
    expect(v4).toContain('via 10.1.0.1');
    expect(v4).toContain('via 10.1.0.2');
    const v6 = await routes(['-6', 'route', 'show', 'fd50::/64']);
    expect(v6).toContain('via fd00::2');
    expect(v6).toContain('via fd00::3');
  });

  it('table, scope and priority reach the kernel', async () => {
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces(ctr),
      ips: [{ address: '10.1.0.5/16', interface: 1 }],
      routes: [
        { dst: '10.60.0.0/16', gw: '10.1.0.1', table: 100, priority: 50 },
        { dst: '10.70.0.0/16', scope: 253 },
        { dst: '10.80.0.0/16' },
      ],
    };
    await configureInterface({ netns: ctr.path, ifName: 'eth0', result });
    expect(await routes(['route', 'show', 'table', '100'])).toBe(
      '10.60.0.0/16 via 10.1.0.1 dev eth0 metric 50 \n',
    );
    expect(await routes(['route', 'show', '10.70.0.0/16'])).toBe(
      '10.70.0.0/16 dev eth0 scope link \n',
    );
    // No scope given, no gateway: universe, as the reference leaves it.
    expect(await routes(['route', 'show', '10.80.0.0/16'])).toBe('10.80.0.0/16 dev eth0 \n');
  });

  it('a bad interface index is refused and nothing is applied', async () => {
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces(ctr),
      ips: [
        { address: '10.1.0.5/16', interface: 1 },
        { address: '10.2.0.5/16', interface: 0 },
      ],
    };
    await expect(configureInterface({ netns: ctr.path, ifName: 'eth0', result })).rejects.toThrow(
      'failed to add IP addr {"address":"10.2.0.5/16","interface":0} to "eth0": invalid interface index',
    );
    expect((await addrs(ctr)).filter((a) => a.family === 'inet')).toEqual([]);
  });

  it('a missing interface is reported by name', async () => {
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: [{ name: 'eth9' }],
      ips: [{ address: '10.1.0.5/16', interface: 0 }],
    };
    const err: unknown = await configureInterface({
      netns: ctr.path,
      ifName: 'eth9',
      result,
    }).catch((e: unknown) => e);
    expect(isIpamError(err, 'configure')).toBe(true);
    expect((err as Error).message).toMatch(/^failed to lookup "eth9": /);
  });

  it('an address that fails DAD is an error', async () => {
    // The host side holds the same address, so the container's DAD finds a duplicate.
    await mustExecIn(host, ['ip', 'addr', 'add', 'fd00::5/64', 'dev', 'hv0', 'nodad']);
    await writeSysctl(ctr, 'net/ipv6/conf/eth0/accept_dad', 1);
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces(ctr),
      ips: [{ address: 'fd00::5/64', gateway: 'fd00::1', interface: 1 }],
      routes: [{ dst: '::/0' }],
    };
    await expect(configureInterface({ netns: ctr.path, ifName: 'eth0', result })).rejects.toThrow(
      /duplicate address detection/,
    );
    expect(await routes(['-6', 'route', 'show', 'default'])).toBe('');
  });

  it('still tentative at the bound: fine without carrier, an error on an up link', async () => {
    // Slow DAD: one probe every 20 s.
    await writeSysctl(ctr, 'net/ipv6/conf/eth0/accept_dad', 1);
    await writeSysctl(ctr, 'net/ipv6/neigh/eth0/retrans_time_ms', 20000);
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces(ctr),
      ips: [{ address: 'fd00::5/64', gateway: 'fd00::1', interface: 1 }],
    };
    await expect(
      configureInterface({ netns: ctr.path, ifName: 'eth0', result, settleTimeoutMs: 300 }),
    ).rejects.toThrow(/still tentative/);

    // Peer down: no carrier, DAD cannot run, the address is accepted as it is.
    const other = await sandbox.container();
    await addVeth(host, 'hv1', other);
    const r2: Result = { ...result, interfaces: [{ name: 'hv1' }, { name: 'eth0' }] };
    await configureInterface({
      netns: other.path,
      ifName: 'eth0',
      result: r2,
      settleTimeoutMs: 300,
    });
    const v6 = (await addrs(other)).filter((a) => a.local === 'fd00::5');
    expect(v6[0]?.tentative).toBe(true);
  });
});
