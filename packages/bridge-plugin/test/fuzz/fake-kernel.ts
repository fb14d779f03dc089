/**
 * The bridge plugin in-process with nothing touching the kernel: a BridgeRuntime whose runner is
 * the shared RecordingRunner, answering ip/bridge batches, iptables-save and nft as an empty host
 * would, and IPAM either with a canned result or by running a real (fake) IPAM executable.
 */
import { writeFileSync } from 'node:fs';
import { FakeBinDir, RecordingRunner, type RecordedRunOptions } from '@cnikit-tools/test-utils';
import { invokePlugin, type InvokeOutcome } from '@cnikit/cni-skel/testing';
import { spawnRunner } from '@cnikit/netops';
import { createBridgePlugin } from '../../src/index.js';
import type { BridgeRuntime } from '../../src/index.js';

/** The IPAM plugin name fuzzed configs use; it exists in the fake CNI_PATH. */
export const FAKE_IPAM = 'fuzz-ipam';
const NSFS_MAGIC = 0x6e736673;
const NAT_TABLE = '*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';
const DEFAULT_IPAM_RESULT = JSON.stringify({
  cniVersion: '1.0.0',
  ips: [{ address: '10.1.2.5/24' }],
});

/** How the fake answers IPAM. */
export type IpamMode =
  /** The runner plays IPAM: ADD prints this text, other verbs print nothing. */
  | { kind: 'canned'; stdout: string }
  /** The real fake executable runs and prints whatever `result.json` in its directory holds. */
  | { kind: 'executable' };

function linkJson(name: string, kind: string, mac: string): string {
  return JSON.stringify([
    {
      ifindex: 7,
      ifname: name,
      address: mac,
      mtu: 1500,
      operstate: 'UP',
      flags: ['UP'],
      linkinfo: { info_kind: kind },
      addr_info: [],
    },
  ]);
}

/** Answers an ip/bridge batch: every `show dev X` line reads a link, other reads get `[]`. */
function answerBatch(input: string, inContainer: boolean): { stdout: string } {
  const out: string[] = [];
  for (const line of input.split('\n')) {
    if (!/\bshow\b/.test(line)) continue;
    const dev = / dev (\S+)/.exec(line)?.[1];
    if (dev === undefined) out.push('[]');
    else if (inContainer) out.push(linkJson(dev, 'veth', '02:00:00:00:00:0d'));
    else if (dev.startsWith('veth')) out.push(linkJson(dev, 'veth', '02:00:00:00:00:0c'));
    else out.push(linkJson(dev, 'bridge', '02:00:00:00:00:0b'));
  }
  return { stdout: out.map((l) => `${l}\n`).join('') };
}

/** A fake host: a CNI_PATH with the IPAM executable, a recording runner, and a BridgeRuntime. */
export class FakeHost {
  readonly bin = new FakeBinDir('cnikit-fuzz-');
  readonly recorder: RecordingRunner;
  readonly stderr: string[] = [];
  ipam: IpamMode = { kind: 'canned', stdout: DEFAULT_IPAM_RESULT };

  constructor() {
    // The executable prints the result file beside it on ADD, and nothing otherwise.
    this.bin.add(
      FAKE_IPAM,
      `[ "$CNI_COMMAND" = ADD ] || exit 0\ncat "${this.bin.file('result.json')}"`,
    );
    this.recorder = new RecordingRunner((argv, options) => this.respond(argv, options));
  }

  private respond(argv: readonly string[], options: RecordedRunOptions) {
    const program = argv[0] ?? '';
    if (program.startsWith(this.bin.dir)) {
      if (this.ipam.kind === 'executable') return spawnRunner(argv, options);
      return options.env?.CNI_COMMAND === 'ADD' ? { stdout: this.ipam.stdout } : {};
    }
    if (program === 'iptables-save' || program === 'ip6tables-save') return { stdout: NAT_TABLE };
    if (program === 'nft') return argv.includes('-j') ? { stdout: '{"nftables":[]}' } : {};
    if (argv.includes('-batch'))
      return answerBatch(options.input ?? '', options.netns !== undefined);
    return {};
  }

  /** The runtime to give the plugin. */
  readonly runtime: BridgeRuntime = {
    runner: (argv, options) => this.recorder.run(argv, options),
    readSysctl: () => Promise.resolve('0\n'),
    writeSysctl: () => Promise.resolve(),
    statfsType: () => Promise.resolve(NSFS_MAGIC),
    randomBytes: (n) => new Uint8Array(n).fill(0xab),
    sha512Hex: (text) => Buffer.from(text).toString('hex').padEnd(128, '0').slice(0, 128),
    sleep: () => Promise.resolve(),
    hasExecutable: () => Promise.resolve(true),
    stderr: { write: (text: string) => this.stderr.push(text) },
  };

  /** Sets what the IPAM executable prints on ADD. */
  writeIpamResult(text: string): void {
    writeFileSync(this.bin.file('result.json'), text);
  }

  /** A valid environment for `command`, with overrides (undefined removes a variable). */
  env(command: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const env: Record<string, string | undefined> = {
      CNI_COMMAND: command,
      CNI_CONTAINERID: 'ctr1',
      CNI_NETNS: '/run/netns/fuzz',
      CNI_IFNAME: 'eth0',
      CNI_PATH: this.bin.dir,
      ...overrides,
    };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
    return out;
  }

  /** Runs the plugin once in-process; the calls it made are in `recorder.calls`. */
  invoke(env: Record<string, string>, stdin: string | object): Promise<InvokeOutcome> {
    this.recorder.clear();
    const plugin = createBridgePlugin({ runtime: () => this.runtime });
    return invokePlugin(plugin, { env, stdin });
  }

  cleanup(): void {
    this.bin.cleanup();
  }
}
