import {
  NOT_ROOT_REASON,
  deleteNetns,
  isRoot,
  type BridgeExecutableKind,
} from '@cnikit-tools/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, withPrev } from './harness.js';

const KINDS: BridgeExecutableKind[] = ['bun', 'node'];

describe.skipIf(!isRoot).each(KINDS)(
  `bridge masquerade and cleanup with %s (${NOT_ROOT_REASON})`,
  (kind) => {
    let h: Harness;
    beforeEach(async () => {
      h = await new Harness(kind).start();
    });
    afterEach(() => h.cleanup());

    it('ipMasq with iptables: chain and jump after ADD, CHECK verifies them, gone after DEL', async () => {
      const c = await h.container();
      const conf = h.conf({ isGateway: true, ipMasq: true, ipMasqBackend: 'iptables' });
      const result = await h.add(conf, { container: c });
      const nat = await h.natRules();
      expect(nat).toMatch(
        /-A POSTROUTING -s 10\.77\.0\.2\/32 -m comment --comment "name: \\"itest\\" id: \\"ctr1\\"" -j CNI-[0-9a-f]{24}/,
      );
      expect(nat).toMatch(/! -d 224\.0\.0\.0\/4 .* -j MASQUERADE/);
      expect((await h.call('CHECK', withPrev(conf, result), { container: c })).exitCode).toBe(0);

      // CHECK also verifies the rules (the reference does not).
      const chain = /-j (CNI-[0-9a-f]{24})/.exec(nat)![1]!;
      await h.hostRun(['iptables', '-t', 'nat', '-F', chain]);
      expect((await h.call('CHECK', withPrev(conf, result), { container: c })).exitCode).toBe(1);

      expect((await h.call('DEL', conf, { container: c })).exitCode).toBe(0);
      expect(await h.natRules()).not.toContain('CNI-');
    });

    it('ipMasq with nftables: one rule per IP in masq_checks, gone after DEL', async () => {
      const c = await h.container();
      const conf = h.conf({ isGateway: true, ipMasq: true, ipMasqBackend: 'nftables' });
      await h.add(conf, { container: c });
      const table = await h.nftMasq();
      expect(table).toContain('chain masq_checks');
      expect(table).toMatch(/ip saddr 10\.77\.0\.2 ip daddr != 10\.77\.0\.0\/24 masquerade/);
      expect((await h.call('DEL', conf, { container: c })).exitCode).toBe(0);
      expect(await h.nftMasq()).not.toContain('10.77.0.2');
    });

    it('a failed ADD leaves no veth, no IP allocation and no rules', async () => {
      const c = await h.container();
      // The bridge already has another address: without forceAddress the gateway step fails,
      // after the veth, the IPAM allocation and the masquerade rules were made.
      await h.hostRun(['ip', 'link', 'add', h.bridge, 'type', 'bridge']);
      await h.hostRun(['ip', 'addr', 'add', '10.99.0.1/16', 'dev', h.bridge]);
      const conf = h.conf({
        isGateway: true,
        ipMasq: true,
        ipMasqBackend: 'iptables',
        macspoofchk: true,
      });
      const r = await h.call('ADD', conf, { container: c });
      expect(r.exitCode).toBe(1);
      expect(r.error?.msg).toBe(
        `failed to set bridge addr: "${h.bridge}" already has an IP address different from 10.77.0.1/24`,
      );
      expect([...(await h.hostLinks()).keys()].filter((n) => n.startsWith('veth'))).toEqual([]);
      expect(await h.inRun(c, ['ip', '-o', 'link', 'show'])).not.toContain('eth0');
      expect(h.allocations()).toEqual([]);
      expect(await h.natRules()).not.toContain('CNI-');
      // Only the shared bridge (with its address) stays.
      expect(await h.addrs(h.host, h.bridge)).toEqual(['10.99.0.1/16']);
    });

    it('DEL removes the rules and the allocation when the netns is already gone', async () => {
      const c = await h.container();
      const conf = h.conf({ isGateway: true, ipMasq: true, ipMasqBackend: 'iptables' });
      await h.add(conf, { container: c });
      await deleteNetns(c);
      expect((await h.call('DEL', conf, { container: c })).exitCode).toBe(0);
      expect(await h.natRules()).not.toContain('CNI-');
      expect(h.allocations()).toEqual([]);
    });

    it('DEL removes the rules when the link is already gone, and with an empty CNI_NETNS', async () => {
      const c1 = await h.container();
      const c2 = await h.container();
      const conf = h.conf({ isGateway: true, ipMasq: true, ipMasqBackend: 'iptables' });
      await h.add(conf, { container: c1, containerId: 'one' });
      await h.add(conf, { container: c2, containerId: 'two' });
      await h.inRun(c1, ['ip', 'link', 'del', 'eth0']);
      expect((await h.call('DEL', conf, { container: c1, containerId: 'one' })).exitCode).toBe(0);
      expect((await h.call('DEL', conf, { netns: '', containerId: 'two' })).exitCode).toBe(0);
      expect(await h.natRules()).not.toContain('CNI-');
      expect(h.allocations()).toEqual([]);
    });

    it('GC removes the rules of attachments that are no longer valid', async () => {
      const c1 = await h.container();
      const c2 = await h.container();
      const conf = h.conf({ isGateway: true, ipMasq: true, ipMasqBackend: 'iptables' });
      await h.add(conf, { container: c1, containerId: 'keep' });
      await h.add(conf, { container: c2, containerId: 'stale' });
      const gc = await h.call('GC', {
        ...conf,
        cniVersion: '1.1.0',
        'cni.dev/valid-attachments': [{ containerID: 'keep', ifname: 'eth0' }],
      });
      // GC reached IPAM: Debian's host-local predates GC and answers "missing containerID" (passed
      // on with its code), and the stale rules were collected all the same.
      const nat = await h.natRules();
      expect(nat).toContain('id: \\"keep\\"');
      expect(nat).not.toContain('id: \\"stale\\"');
      expect(gc.error).toMatchObject({ code: 3, msg: 'missing containerID' });
    });

    it('pins a bridge whose MAC is all zeros (its last port left) instead of failing', async () => {
      await h.hostRun(['ip', 'link', 'add', h.bridge, 'type', 'bridge']);
      await h.hostRun(['ip', 'link', 'add', 'tmpa', 'type', 'veth', 'peer', 'name', 'tmpb']);
      await h.hostRun(['ip', 'link', 'set', 'tmpa', 'master', h.bridge]);
      await h.hostRun(['ip', 'link', 'del', 'tmpa']);
      expect((await h.hostLinks()).get(h.bridge)?.address).toBe('00:00:00:00:00:00');
      const c = await h.container();
      const result = await h.add(h.conf({ isGateway: true }), { container: c });
      const mac = (await h.hostLinks()).get(h.bridge)?.address;
      expect(mac).not.toBe('00:00:00:00:00:00');
      expect(result.interfaces?.[0]?.mac).toBe(mac);
    });

    it('many concurrent ADDs on a bridge that does not exist yet all succeed', async () => {
      const containers = await Promise.all(Array.from({ length: 6 }, () => h.container()));
      const conf = h.conf({ isGateway: true, ipMasq: true, ipMasqBackend: 'iptables' });
      const results = await Promise.all(
        containers.map((c, i) => h.call('ADD', conf, { container: c, containerId: `par${i}` })),
      );
      for (const r of results) expect(r.stderr + r.stdout).not.toContain('"code"');
      expect(results.map((r) => r.exitCode)).toEqual(containers.map(() => 0));
      const ips = results.map((r) => r.result?.ips?.[0]?.address);
      expect(new Set(ips).size).toBe(containers.length);
      expect(await h.addrs(h.host, h.bridge)).toEqual(['10.77.0.1/24']);
    });
  },
);
