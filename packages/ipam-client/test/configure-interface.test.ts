/**
 * configureInterface against a recording runner: the exact processes and batch text, the process
 * count, the settle decisions and the error wording. The kernel side is in
 * configure-interface.root.test.ts.
 */
import type { Result } from '@cnikit/cni-skel';
import type { CommandRunner, RunOptions, RunResult } from '@cnikit/netops';
import { describe, expect, it } from 'vitest';
import { configureInterface, type StderrSink } from '../src/index.ts';
import { isIpamError } from '../src/errors.ts';

const NETNS = '/run/netns/ctr';

interface Call {
  argv: readonly string[];
  input: string;
  netns: string | undefined;
}

/**
 * A runner that answers reads (`addr show`) with the next of `links` (the last one repeating) and
 * everything else with `reply` (default: success, no output).
 */
function recorder(
  links: string[] = [],
  reply: Partial<RunResult> = {},
): CommandRunner & { calls: Call[] } {
  const calls: Call[] = [];
  const runner = (argv: readonly string[], options: RunOptions = {}): Promise<RunResult> => {
    const input = options.input ?? '';
    calls.push({ argv, input, netns: options.netns });
    const stdout = input.includes('addr show') ? (links.length > 1 ? links.shift() : links[0]) : '';
    return Promise.resolve({ argv, exitCode: 0, stdout: stdout ?? '', stderr: '', ...reply });
  };
  return Object.assign(runner, { calls });
}

/** The sysctl name/value pairs passed to the in-namespace script, in order. */
function sysctlArgs(argv: readonly string[]): string[][] {
  return argv
    .map((word, i) => (/^net\//.test(word) ? [word, argv[i + 1] ?? ''] : undefined))
    .filter((pair): pair is string[] => pair !== undefined);
}

/** `ip -json addr show dev eth0` output with the given IPv6 address flags. */
function linkJson(flags: { tentative?: boolean; dadfailed?: boolean } = {}, operstate = 'UP') {
  return `${JSON.stringify([
    {
      ifindex: 2,
      ifname: 'eth0',
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      mtu: 1500,
      operstate,
      address: '02:00:00:00:00:01',
      addr_info: [{ family: 'inet6', local: 'fd00::5', prefixlen: 64, scope: 'global', ...flags }],
    },
  ])}\n`;
}

const ifaces = [{ name: 'cni0' }, { name: 'veth1' }, { name: 'eth0', sandbox: NETNS }];
const v4: Result = {
  cniVersion: '1.1.0',
  interfaces: ifaces,
  ips: [{ address: '10.1.0.5/16', gateway: '10.1.0.1', interface: 2 }],
  routes: [{ dst: '0.0.0.0/0' }, { dst: '10.9.0.0/16', gw: '10.1.0.9', priority: 10, table: 100 }],
};
const v6: Result = {
  cniVersion: '1.1.0',
  interfaces: ifaces,
  ips: [{ address: 'fd00::5/64', gateway: 'fd00::1', interface: 2 }],
  routes: [{ dst: '::/0' }],
};

class Captured implements StderrSink {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('configureInterface (recorded commands)', () => {
  it('IPv4: one process with addresses, link up and routes', async () => {
    const runner = recorder();
    const report = await configureInterface({ netns: NETNS, ifName: 'eth0', result: v4, runner });
    expect(report.processes).toBe(1);
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]?.argv).toEqual(['ip', '-batch', '-']);
    expect(runner.calls[0]?.netns).toBe(NETNS);
    expect(runner.calls[0]?.input).toBe(
      [
        'addr add 10.1.0.5/16 brd + dev eth0',
        'link set dev eth0 up',
        'route prepend 0.0.0.0/0 via 10.1.0.1 dev eth0',
        'route prepend 10.9.0.0/16 via 10.1.0.9 dev eth0 metric 10 table 100',
        '',
      ].join('\n'),
    );
  });

  it('IPv4 /31 and /32 get no broadcast; IPv6 never', async () => {
    const runner = recorder();
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces,
      ips: [
        { address: '10.1.0.4/31', interface: 2 },
        { address: '10.1.0.9/32', interface: 2 },
        { address: 'fd00::5/64', interface: 2 },
      ],
    };
    await configureInterface({ netns: NETNS, ifName: 'eth0', result, runner });
    expect(runner.calls[0]?.input).toBe(
      'addr add 10.1.0.4/31 dev eth0\naddr add 10.1.0.9/32 dev eth0\naddr add fd00::5/64 dev eth0\n' +
        'link set dev eth0 up\n',
    );
  });

  it('extra sysctls go into the same process, ahead of the batch', async () => {
    const runner = recorder();
    const report = await configureInterface({
      netns: NETNS,
      ifName: 'eth0',
      result: v4,
      runner,
      extraSysctls: [
        { name: 'net/ipv6/conf/eth0/accept_dad', value: 0 },
        { name: 'net.ipv4.conf.eth0.arp_notify', value: '1' },
      ],
    });
    expect(report.processes).toBe(1);
    const argv = runner.calls[0]?.argv ?? [];
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(sysctlArgs(argv)).toEqual([
      ['net/ipv6/conf/eth0/accept_dad', '0'],
      ['net/ipv4/conf/eth0/arp_notify', '1'],
    ]);
    expect(argv.slice(-3)).toEqual(['ip', '-batch', '-']);
  });

  it('IPv6 without gateway: IPv6 sysctls, no settle, still one process', async () => {
    const runner = recorder();
    const result: Result = {
      cniVersion: '1.1.0',
      interfaces: ifaces,
      ips: [{ address: 'fd00::5/64', interface: 2 }],
      routes: [{ dst: 'fd09::/64' }, { dst: '10.9.0.0/16' }],
    };
    const report = await configureInterface({ netns: NETNS, ifName: 'eth0', result, runner });
    expect(report.processes).toBe(1);
    expect(sysctlArgs(runner.calls[0]?.argv ?? [])).toEqual([
      ['net/ipv6/conf/lo/disable_ipv6', '0'],
      ['net/ipv6/conf/eth0/disable_ipv6', '0'],
      ['net/ipv6/conf/eth0/keep_addr_on_down', '1'],
    ]);
    // Route without gateway: IPv4 gets the reference's scope 0; IPv6 is left to the kernel.
    expect(runner.calls[0]?.input).toContain('route prepend fd09::/64 dev eth0\n');
    expect(runner.calls[0]?.input).toContain('route prepend 10.9.0.0/16 dev eth0 scope 0\n');
  });

  it('IPv6 gateway already settled: the first process reads the link, a second adds routes', async () => {
    const runner = recorder([linkJson()]);
    const report = await configureInterface({ netns: NETNS, ifName: 'eth0', result: v6, runner });
    expect(report.processes).toBe(2);
    expect(runner.calls[0]?.argv.slice(-5)).toEqual(['ip', '-details', '-json', '-batch', '-']);
    expect(runner.calls[0]?.input).toBe(
      'addr add fd00::5/64 dev eth0\nlink set dev eth0 up\naddr show dev eth0\n',
    );
    expect(runner.calls[1]?.argv).toEqual(['ip', '-batch', '-']);
    expect(runner.calls[1]?.input).toBe('route prepend ::/0 via fd00::1 dev eth0\n');
  });

  it('IPv6 gateway with a tentative address: waits, then adds routes', async () => {
    const runner = recorder([
      linkJson({ tentative: true }),
      linkJson({ tentative: true }),
      linkJson(),
    ]);
    const report = await configureInterface({ netns: NETNS, ifName: 'eth0', result: v6, runner });
    expect(report.processes).toBe(4);
    expect(runner.calls[1]?.input).toBe('addr show dev eth0\n');
    expect(runner.calls[3]?.input).toBe('route prepend ::/0 via fd00::1 dev eth0\n');
  });

  it('IPv6 gateway without routes: no route process', async () => {
    const runner = recorder([linkJson()]);
    const result = { ...v6, routes: [] };
    const report = await configureInterface({ netns: NETNS, ifName: 'eth0', result, runner });
    expect(report.processes).toBe(1);
  });

  it('a DAD failure is an error and no route is added', async () => {
    const runner = recorder([linkJson({ dadfailed: true, tentative: true })]);
    const err: unknown = await configureInterface({
      netns: NETNS,
      ifName: 'eth0',
      result: v6,
      runner,
    }).catch((e: unknown) => e);
    expect(isIpamError(err, 'configure')).toBe(true);
    expect((err as Error).message).toMatch(/fd00::5\/64.*duplicate address detection/);
    expect(runner.calls.some((c) => c.input.includes('route'))).toBe(false);
  });

  it('still tentative at the bound: an error on an up link, accepted on a down one', async () => {
    const up = recorder([linkJson({ tentative: true })]);
    await expect(
      configureInterface({
        netns: NETNS,
        ifName: 'eth0',
        result: v6,
        runner: up,
        settleTimeoutMs: 30,
      }),
    ).rejects.toThrow(/still tentative/);

    const down = recorder([linkJson({ tentative: true }, 'LOWERLAYERDOWN')]);
    await configureInterface({
      netns: NETNS,
      ifName: 'eth0',
      result: v6,
      runner: down,
      settleTimeoutMs: 30,
    });
    expect(down.calls.at(-1)?.input).toBe('route prepend ::/0 via fd00::1 dev eth0\n');
  });

  it('reports ignored sysctl failures on stderr and carries on', async () => {
    const stderr = new Captured();
    const runner = recorder([], {
      stderr:
        'sh: 1: cannot create /proc/sys/net/ipv4/conf/eth0/arp_notify: Read-only\ncnikit-sysctl-failed 1\n',
    });
    await configureInterface({
      netns: NETNS,
      ifName: 'eth0',
      result: v4,
      runner,
      stderr,
      extraSysctls: [{ name: 'net/ipv4/conf/eth0/arp_notify', value: 1 }],
    });
    expect(stderr.text).toContain('net/ipv4/conf/eth0/arp_notify=1');
    expect(stderr.text).toContain('Read-only');
  });

  it.each([
    [
      'Cannot find device "eth0"\nCommand failed -:1\n',
      'failed to lookup "eth0": Cannot find device "eth0"',
    ],
    [
      'RTNETLINK answers: File exists\nCommand failed -:1\n',
      'failed to add IP addr 10.1.0.5/16 to "eth0": RTNETLINK answers: File exists',
    ],
    [
      'RTNETLINK answers: Network is unreachable\nCommand failed -:4\n',
      "failed to add route '10.9.0.0/16 via 10.1.0.9 dev eth0 (Scope: 0, Table: 100, Priority: 10)': RTNETLINK answers: Network is unreachable",
    ],
    [
      'nsenter: cannot open /run/netns/ctr: No such file or directory\n',
      'failed to open netns "/run/netns/ctr": ',
    ],
  ])('words a failure the reference way: %j', async (stderr, message) => {
    const runner = recorder([], { exitCode: 1, stderr });
    const err: unknown = await configureInterface({
      netns: NETNS,
      ifName: 'eth0',
      result: v4,
      runner,
    }).catch((e: unknown) => e);
    expect(isIpamError(err, 'configure')).toBe(true);
    expect((err as Error).message.startsWith(message)).toBe(true);
    expect((err as Error).cause).toBeDefined();
  });

  it.each([
    ['eth0 x', NETNS],
    ['eth0', 'relative/ns'],
    ['eth0', '/run/netns/a b'],
    ['averyveryverylongname', NETNS],
  ])('refuses interface %j in netns %j before running anything', async (ifName, netns) => {
    const runner = recorder();
    const err: unknown = await configureInterface({ netns, ifName, result: v4, runner }).catch(
      (e: unknown) => e,
    );
    expect(isIpamError(err, 'configure')).toBe(true);
    expect(runner.calls).toEqual([]);
  });

  it('refuses a bad interface index before running anything', async () => {
    const runner = recorder();
    const result = { ...v4, ips: [{ address: '10.1.0.5/16', interface: 1 }] };
    await expect(
      configureInterface({ netns: NETNS, ifName: 'eth0', result, runner }),
    ).rejects.toThrow(
      'failed to add IP addr {"address":"10.1.0.5/16","interface":1} to "eth0": invalid interface index',
    );
    expect(runner.calls).toEqual([]);
  });
});
