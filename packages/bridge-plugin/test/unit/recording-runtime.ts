/** A BridgeRuntime whose runner records every call and plays the kernel, for pure ADD/DEL tests. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunOptions, RunResult } from '@cnikit/netops';
import type { BridgeRuntime } from '../../src/runtime/runtime.js';

export interface RecordedCall {
  argv: readonly string[];
  input: string;
  netns: string | undefined;
  env: Record<string, string> | undefined;
}

export const MACS = {
  bridge: '02:00:00:00:00:0b',
  veth: '02:00:00:00:00:0c',
  container: '02:00:00:00:00:0d',
};

const link = (name: string, mac: string, kind: string, addrs: unknown[] = []) =>
  JSON.stringify([
    {
      ifindex: 5,
      ifname: name,
      address: mac,
      mtu: 1500,
      operstate: 'UP',
      flags: ['UP'],
      linkinfo: { info_kind: kind },
      addr_info: addrs,
    },
  ]);

/** Options: which batch line fails, and what IPAM answers. */
export interface RecordingOptions {
  /** A batch line matching this fails with "RTNETLINK answers: Invalid argument". */
  failLine?: RegExp;
  ipamResult?: object;
  /** A masquerade command (iptables-restore or nft -f) fails. */
  failMasquerade?: boolean;
  /** The bridge's addresses as `ip -json` prints them (default none). */
  bridgeAddresses?: unknown[];
  /** The IPAM plugin answers these commands with a CNI error (code 11). */
  failIpam?: readonly string[];
}

export class RecordingRuntime implements BridgeRuntime {
  readonly calls: RecordedCall[] = [];
  readonly sysctls = new Map<string, string>();
  readonly cniPath: string;
  readonly stderrText: string[] = [];

  constructor(private readonly options: RecordingOptions = {}) {
    this.cniPath = mkdtempSync(join(tmpdir(), 'cnikit-rec-'));
    const ipam = join(this.cniPath, 'fake-ipam');
    writeFileSync(ipam, '#!/bin/sh\nexit 1\n');
    chmodSync(ipam, 0o755);
  }

  cleanup(): void {
    rmSync(this.cniPath, { recursive: true, force: true });
  }

  runner = (argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> => {
    this.calls.push({ argv, input: opts.input ?? '', netns: opts.netns, env: opts.env });
    return Promise.resolve({
      argv,
      exitCode: 0,
      stdout: '',
      stderr: '',
      ...this.respond(argv, opts),
    });
  };

  private respond(argv: readonly string[], opts: RunOptions): Partial<RunResult> {
    const cmd = argv[0] ?? '';
    if (cmd.endsWith('fake-ipam')) {
      const command = opts.env?.CNI_COMMAND;
      if (command !== undefined && this.options.failIpam?.includes(command))
        return {
          exitCode: 1,
          stdout: JSON.stringify({ code: 11, msg: `injected IPAM ${command} failure` }),
        };
      if (command !== 'ADD') return {};
      return {
        stdout: JSON.stringify(
          this.options.ipamResult ?? { cniVersion: '1.0.0', ips: [{ address: '10.1.2.5/24' }] },
        ),
      };
    }
    if (cmd === 'iptables-save' || cmd === 'ip6tables-save')
      return { stdout: '*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n' };
    if (
      (cmd === 'iptables-restore' ||
        cmd === 'ip6tables-restore' ||
        (cmd === 'nft' && argv.includes('-f'))) &&
      this.options.failMasquerade
    )
      return { exitCode: 1, stderr: 'injected masquerade failure\n' };
    if (cmd === 'nft') return argv.includes('-j') ? { stdout: '{"nftables":[]}' } : {};
    if (cmd === 'ip' || cmd === 'sh' || cmd === 'bridge') return this.batch(opts.input ?? '');
    return {};
  }

  private batch(input: string): Partial<RunResult> {
    const out: string[] = [];
    const err: string[] = [];
    input
      .split('\n')
      .filter((l) => l !== '')
      .forEach((line, i) => {
        if (this.options.failLine?.test(line)) {
          err.push('RTNETLINK answers: Invalid argument', `Command failed -:${i + 1}`);
          return;
        }
        const dev = /show dev (\S+)/.exec(line)?.[1];
        if (dev === undefined) return;
        if (dev.startsWith('veth')) out.push(link(dev, MACS.veth, 'veth'));
        else if (dev === 'eth0') out.push(link(dev, MACS.container, 'veth'));
        else out.push(link(dev, MACS.bridge, 'bridge', this.options.bridgeAddresses));
      });
    return {
      exitCode: err.length > 0 ? 1 : 0,
      stdout: out.map((l) => `${l}\n`).join(''),
      stderr: err.map((l) => `${l}\n`).join(''),
    };
  }

  readSysctl = (key: string): Promise<string> => Promise.resolve(this.sysctls.get(key) ?? '0\n');
  writeSysctl = (key: string, value: string): Promise<void> => {
    this.sysctls.set(key, value);
    return Promise.resolve();
  };
  statfsType = (): Promise<number> => Promise.resolve(0x6e736673);
  randomBytes = (n: number): Uint8Array => new Uint8Array(n).fill(0xab);
  sha512Hex = (text: string): string => Buffer.from(text).toString('hex').padEnd(128, '0');
  sleep = (): Promise<void> => Promise.resolve();
  hasExecutable = (_name: string): Promise<boolean> => Promise.resolve(true);
  baseTools: readonly string[] | undefined = undefined;
  stderr = { write: (text: string) => this.stderrText.push(text) };

  /** The stdin texts of host-side ip batches (no netns). */
  hostBatches(): string[] {
    return this.calls
      .filter((c) => c.argv[0] === 'ip' && c.netns === undefined)
      .map((c) => c.input);
  }

  /** CNI_COMMAND of each IPAM call, in order. */
  ipamCommands(): string[] {
    return this.calls
      .filter((c) => c.argv[0]?.endsWith('fake-ipam'))
      .map((c) => c.env?.CNI_COMMAND ?? '');
  }
}
