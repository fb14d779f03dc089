import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeNetConf,
  parseRequestedIp,
  resolveConfig,
  type HostLocalConfig,
} from '../src/config.js';
import { HostLocalError } from '../src/errors.js';
import { allocate, checkAvailability, collectGarbage, release, verify } from '../src/ipam.js';
import { flockCommandLocker } from '../src/lock.js';
import { netConf, storeSnapshot, tempDir } from './helpers.js';

const deps = { locker: flockCommandLocker() };
const at = (containerId: string, ifName = 'eth0') => ({ containerId, ifName });

describe('host-local operations on a real store', () => {
  let tmp: ReturnType<typeof tempDir>;
  let storeDir: string;
  const config = (
    ipam: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    envIp?: string,
  ): HostLocalConfig =>
    resolveConfig(
      decodeNetConf(netConf({ dataDir: tmp.dir, ...ipam }, extra)),
      envIp === undefined ? undefined : parseRequestedIp(envIp),
    );
  const failure = (p: Promise<unknown>): Promise<HostLocalError> =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(HostLocalError);
        return e as HostLocalError;
      },
    );
  const reservations = () =>
    Object.fromEntries(
      Object.entries(storeSnapshot(storeDir)).filter(
        ([f]) => !f.startsWith('last_') && f !== 'lock',
      ),
    );

  beforeEach(() => {
    tmp = tempDir();
    storeDir = join(tmp.dir, 'net1');
  });
  afterEach(() => tmp.cleanup());

  describe('ADD', () => {
    it('hands out addresses in order, then round-robin after release, then runs out', async () => {
      const c = config({ subnet: '10.9.0.0/29', routes: [{ dst: '0.0.0.0/0' }] });
      const first = await allocate(c, at('c1'), deps);
      expect(first).toEqual({
        cniVersion: '1.1.0',
        ips: [{ address: '10.9.0.2/29', gateway: '10.9.0.1' }],
        routes: [{ dst: '0.0.0.0/0' }],
      });
      for (const id of ['c2', 'c3']) await allocate(c, at(id), deps);
      await release(c, at('c1'), deps);
      // Round-robin: the released .2 comes back only after the rest of the range.
      expect((await allocate(c, at('c4'), deps)).ips?.[0]?.address).toBe('10.9.0.5/29');
      expect((await allocate(c, at('c5'), deps)).ips?.[0]?.address).toBe('10.9.0.6/29');
      expect((await allocate(c, at('c6'), deps)).ips?.[0]?.address).toBe('10.9.0.2/29');
      const full = await failure(allocate(c, at('c7'), deps));
      expect(full.message).toBe(
        'failed to allocate for range 0: no IP addresses available in range set: 10.9.0.1-10.9.0.6',
      );
      expect(full.code).toBe(999);
      expect(reservations()).toEqual({
        '10.9.0.2': 'c6\r\neth0',
        '10.9.0.3': 'c2\r\neth0',
        '10.9.0.4': 'c3\r\neth0',
        '10.9.0.5': 'c4\r\neth0',
        '10.9.0.6': 'c5\r\neth0',
      });
    });

    it('serves dual stack: one address per range set, each with its gateway', async () => {
      const c = config({
        ranges: [
          [
            {
              subnet: '10.9.0.0/24',
              rangeStart: '10.9.0.10',
              rangeEnd: '10.9.0.20',
              gateway: '10.9.0.12',
            },
          ],
          [{ subnet: 'fd00::/120', rangeStart: 'fd00::fe' }],
        ],
      });
      const r1 = await allocate(c, at('d1'), deps);
      const r2 = await allocate(c, at('d2'), deps);
      expect(r1.ips).toEqual([
        { address: '10.9.0.10/24', gateway: '10.9.0.12' },
        { address: 'fd00::fe/120', gateway: 'fd00::1' },
      ]);
      expect(r2.ips?.map((i) => i.address)).toEqual(['10.9.0.11/24', 'fd00::ff/120']);
      // The v6 range is full: the v4 address taken for d3 must be given back.
      const error = await failure(allocate(c, at('d3'), deps));
      expect(error.message).toBe(
        'failed to allocate for range 1: no IP addresses available in range set: fd00::fe-fd00::ff',
      );
      expect(Object.keys(reservations()).sort()).toEqual([
        '10.9.0.10',
        '10.9.0.11',
        'fd00::fe',
        'fd00::ff',
      ]);
      expect(storeSnapshot(storeDir)['last_reserved_ip.0']).toBe('10.9.0.13');
    });

    it('honours requested addresses and refuses them clearly', async () => {
      const subnet = {
        subnet: '10.9.0.0/24',
        rangeStart: '10.9.0.10',
        rangeEnd: '10.9.0.20',
        gateway: '10.9.0.15',
      };
      expect(
        (await allocate(config(subnet, {}, '10.9.0.16'), at('r1'), deps)).ips?.[0]?.address,
      ).toBe('10.9.0.16/24');
      expect(
        (await allocate(config(subnet, { args: { cni: { ips: ['10.9.0.17'] } } }), at('r2'), deps))
          .ips?.[0]?.address,
      ).toBe('10.9.0.17/24');
      expect(
        (
          await allocate(
            config(subnet, { runtimeConfig: { ips: ['10.9.0.18/24'] } }),
            at('r3'),
            deps,
          )
        ).ips?.[0]?.address,
      ).toBe('10.9.0.18/24');
      const cases: Array<[HostLocalConfig, string]> = [
        [
          config(subnet, {}, '10.9.0.16'),
          'failed to allocate for range 0: requested IP address 10.9.0.16 is not available in range set 10.9.0.10-10.9.0.20',
        ],
        [
          config(subnet, {}, '10.9.0.15'),
          "failed to allocate for range 0: requested ip 10.9.0.15 is subnet's gateway",
        ],
        [config(subnet, {}, '10.9.0.5'), 'failed to allocate all requested IPs: 10.9.0.5'],
        [
          config(subnet, { args: { cni: { ips: ['10.9.0.11', '10.9.0.12'] } } }),
          'failed to allocate all requested IPs: 10.9.0.12',
        ],
      ];
      for (const [c, message] of cases)
        expect((await failure(allocate(c, at('rx'), deps))).message).toBe(message);
      // None of the refused ADDs left a reservation behind.
      expect(Object.values(reservations()).some((owner) => owner.startsWith('rx'))).toBe(false);
    });

    it('refuses a second ADD for the same attachment, but not for another interface', async () => {
      const c = config({ subnet: '10.9.0.0/24' });
      await allocate(c, at('c1'), deps);
      expect((await failure(allocate(c, at('c1'), deps))).message).toBe(
        'failed to allocate for range 0: 10.9.0.2 has been allocated to c1, duplicate allocation is not allowed',
      );
      expect((await allocate(c, at('c1', 'eth1'), deps)).ips?.[0]?.address).toBe('10.9.0.3/24');
    });

    it('returns the DNS settings of resolvConf', async () => {
      writeFileSync(join(tmp.dir, 'resolv.conf'), 'nameserver 10.0.0.53\nsearch example.com\n');
      const c = config({ subnet: '10.9.0.0/24', resolvConf: join(tmp.dir, 'resolv.conf') });
      expect((await allocate(c, at('c1'), deps)).dns).toEqual({
        nameservers: ['10.0.0.53'],
        search: ['example.com'],
      });
    });
  });

  describe('DEL and CHECK', () => {
    it('releases by container ID and ifname; a repeated DEL succeeds', async () => {
      const c = config({ subnet: '10.9.0.0/24' });
      await allocate(c, at('c1'), deps);
      await allocate(c, at('c1', 'eth1'), deps);
      await expect(release(c, at('c1'), deps)).resolves.toEqual(['10.9.0.2']);
      await expect(release(c, at('c1'), deps)).resolves.toEqual([]);
      expect(reservations()).toEqual({ '10.9.0.3': 'c1\r\neth1' });
    });

    it('releases legacy files (container ID only) when the attachment has no exact ones', async () => {
      const c = config({ subnet: '10.9.0.0/24' });
      await allocate(c, at('c2'), deps);
      writeFileSync(join(storeDir, '10.9.0.9'), 'c1');
      await expect(release(c, at('c1', 'eth7'), deps)).resolves.toEqual(['10.9.0.9']);
      expect(Object.keys(reservations())).toEqual(['10.9.0.2']);
    });

    it('CHECK passes for a reserved attachment and fails as the reference otherwise', async () => {
      const c = config({ subnet: '10.9.0.0/24' });
      await allocate(c, at('c1'), deps);
      await expect(
        verify(c, at('c1'), [{ address: '10.9.0.2/24' }, { address: '192.168.0.2/24' }], deps),
      ).resolves.toBeUndefined();
      expect((await failure(verify(c, at('c1', 'eth1'), [], deps))).message).toBe(
        'host-local: Failed to find address added by container c1',
      );
      expect((await failure(verify(c, at('c1'), [{ address: '10.9.0.3/24' }], deps))).message).toBe(
        'host-local: address 10.9.0.3 of container c1 is not reserved for it',
      );
    });
  });

  describe('GC', () => {
    it('releases every reservation not in the valid attachments, keeping bookkeeping files', async () => {
      const c = config({ subnet: '10.9.0.0/24' });
      for (const [id, ifName] of [
        ['keep', 'eth0'],
        ['keep', 'eth1'],
        ['gone', 'eth0'],
      ] as const) {
        await allocate(c, at(id, ifName), deps);
      }
      writeFileSync(join(storeDir, '10.9.0.50'), 'keep');
      writeFileSync(join(storeDir, '10.9.0.51'), 'stale-legacy');
      const released = await collectGarbage(c, [at('keep')], deps);
      expect(released.sort()).toEqual(['10.9.0.3', '10.9.0.4', '10.9.0.51']);
      expect(storeSnapshot(storeDir)).toEqual({
        '10.9.0.2': 'keep\r\neth0',
        '10.9.0.50': 'keep',
        'last_reserved_ip.0': '10.9.0.4',
        lock: '',
      });
      // The released address can be handed out again.
      expect(
        (await allocate(config({ subnet: '10.9.0.0/24' }, {}, '10.9.0.3'), at('new'), deps))
          .ips?.[0]?.address,
      ).toBe('10.9.0.3/24');
    });

    it('releases everything when no attachment is valid', async () => {
      const c = config({ subnet: '10.9.0.0/24' });
      await allocate(c, at('a'), deps);
      await allocate(c, at('b'), deps);
      await collectGarbage(c, [], deps);
      expect(reservations()).toEqual({});
    });
  });

  describe('STATUS', () => {
    it('succeeds while every range set has an address left', async () => {
      const c = config({ ranges: [[{ subnet: '10.9.0.0/30' }], [{ subnet: 'fd00::/64' }]] });
      await expect(checkAvailability(c)).resolves.toBeUndefined();
    });

    it('fails with code 50 once a range set is full', async () => {
      const c = config({ ranges: [[{ subnet: '10.9.0.0/30' }], [{ subnet: 'fd00::/64' }]] });
      await allocate(c, at('only'), deps);
      const error = await failure(checkAvailability(c));
      expect(error.code).toBe(50);
      expect(error.message).toBe(
        'range set 0 is full: no IP addresses available in range set: 10.9.0.1-10.9.0.2',
      );
    });

    it('fails with code 50 when the store cannot be written', async () => {
      writeFileSync(join(tmp.dir, 'not-a-dir'), '');
      const c = resolveConfig(
        decodeNetConf(netConf({ dataDir: join(tmp.dir, 'not-a-dir'), subnet: '10.9.0.0/24' })),
      );
      const error = await failure(checkAvailability(c));
      expect(error.code).toBe(50);
      expect(error.message).toContain('store not writable: mkdir');
    });
  });
});
