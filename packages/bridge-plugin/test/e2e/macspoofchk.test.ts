/**
 * reference-bridge.md §3 scenario 19: macspoofchk installs, in the host's `bridge nat` table, one
 * PREROUTING rule jumping to the attachment's chain, one rule there, and two in its `-mac` chain
 * (accept the container MAC, drop the rest), all commented `macspoofchk-<id>-<ifname>`; DEL
 * removes them.
 */
import { describe, test } from 'vitest';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { nftChain, ofKind, view } from './support/inspect.js';
import { describePrivileged } from './support/suite.js';
import { FEW_VERSIONS } from './support/versions.js';

/** The rule lines of a `nft list chain` output. */
function rulesOf(lines: readonly string[] | undefined): string[] {
  return (lines ?? []).filter((l) => !/^(table|chain|type|}|policy)/.test(l) && !l.endsWith('{'));
}

describePrivileged('macspoofchk', () => {
  describe.concurrent('rules', () => {
    test.for(FEW_VERSIONS)(
      'installs and removes the spoof-check chains at %s',
      async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const c = await bed.container();
          const conf = bed.netconf({
            isGateway: true,
            macspoofchk: true,
            ipam: bed.ipam([['10.1.2.0/24']]),
          });
          const add = await bed.add(c, conf);
          await expectAttached(expect, bed, c, add, { v4: 1, gatewayCidrs: ['10.1.2.1/24'] });
          const id = bed.containerId(c);
          const chain = `cni-br-iface-${id}-eth0`;
          const comment = `comment "macspoofchk-${id}-eth0"`;
          const [veth] = ofKind(await view(bed.host), 'veth');
          const eth0Mac = (await view(c)).links.find((l) => l.ifname === 'eth0')?.address;

          const pre = rulesOf(await nftChain(bed.host, 'bridge', 'nat', 'PREROUTING'));
          expect(pre).toEqual([`iifname "${veth?.ifname}" jump ${chain} ${comment}`]);
          const iface = rulesOf(await nftChain(bed.host, 'bridge', 'nat', chain));
          expect(iface).toEqual([`jump ${chain}-mac ${comment}`]);
          const mac = rulesOf(await nftChain(bed.host, 'bridge', 'nat', `${chain}-mac`));
          expect(mac).toEqual([`ether saddr ${eth0Mac} return ${comment}`, `drop ${comment}`]);

          await expectDetached(expect, bed, c, await bed.del(c, conf));
          expect(rulesOf(await nftChain(bed.host, 'bridge', 'nat', 'PREROUTING'))).toEqual([]);
          expect(await nftChain(bed.host, 'bridge', 'nat', chain)).toBeUndefined();
          expect(await nftChain(bed.host, 'bridge', 'nat', `${chain}-mac`)).toBeUndefined();
        });
      },
    );
  });
});
