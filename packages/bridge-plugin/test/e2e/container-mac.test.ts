/**
 * reference-bridge.md §3 scenario 15: the container MAC from CNI_ARGS `MAC`, from `args.cni.mac`
 * (beats CNI_ARGS) and from `runtimeConfig.mac` (beats both); the key is matched
 * case-insensitively as Go's encoding/json does (the upstream test sends `RuntimeConfig`).
 */
import { describe, test } from 'vitest';
import { expectAttached, expectDetached, withTestbed } from './support/attachment.js';
import { describePrivileged } from './support/suite.js';
import { FEW_VERSIONS } from './support/versions.js';

const FROM_ENV = 'c2:b0:57:49:47:f1';
const FROM_ARGS = 'c2:b0:57:49:47:f2';
const FROM_RUNTIME = 'c2:b0:57:49:47:f3';

const CASES = [
  { name: 'CNI_ARGS MAC', env: true, args: false, runtime: undefined, want: FROM_ENV },
  {
    name: 'args.cni.mac beats CNI_ARGS',
    env: true,
    args: true,
    runtime: undefined,
    want: FROM_ARGS,
  },
  {
    name: 'runtimeConfig.mac beats both',
    env: true,
    args: true,
    runtime: 'runtimeConfig',
    want: FROM_RUNTIME,
  },
  {
    name: 'RuntimeConfig (any key case) beats both',
    env: true,
    args: true,
    runtime: 'RuntimeConfig',
    want: FROM_RUNTIME,
  },
] as const;

describePrivileged('container MAC', () => {
  describe.concurrent('precedence', () => {
    for (const c of CASES) {
      test.for(FEW_VERSIONS)(`${c.name} at %s`, async (version, { expect }) => {
        await withTestbed(version, async (bed) => {
          const ctr = await bed.container();
          const conf = bed.netconf({
            isGateway: true,
            ipam: bed.ipam([['10.1.2.0/24']]),
            ...(c.args ? { args: { cni: { mac: FROM_ARGS } } } : {}),
            ...(c.runtime === undefined ? {} : { [c.runtime]: { mac: FROM_RUNTIME } }),
          });
          const args = c.env ? `IgnoreUnknown=1;MAC=${FROM_ENV}` : undefined;
          const add = await bed.add(ctr, conf, { args });
          const result = await expectAttached(expect, bed, ctr, add, {
            v4: 1,
            gatewayCidrs: ['10.1.2.1/24'],
            mac: c.want,
          });
          if (result.interfaces) expect(result.interfaces[2]?.mac).toBe(c.want);
          await expectDetached(expect, bed, ctr, await bed.del(ctr, conf, { args }));
        });
      });
    }
  });
});
