/**
 * A process parked in a namespace (`ip netns exec NAME sleep 60`), so tests can name that
 * namespace as /proc/PID/ns/net, the way runtimes pass CNI_NETNS. Killed by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Netns } from '@cnikit-tools/test-utils';
import { ownNetnsPath, sameNetns } from '../../src/index.js';

export interface Sleeper {
  pid: number;
  /** /proc/PID/ns/net */
  path: string;
  stop(): void;
}

export async function startSleeper(ns: Netns): Promise<Sleeper> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns.name, 'sleep', '60'], {
    stdio: 'ignore',
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start sleep');
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const path = ownNetnsPath(pid);
  // Wait until `ip netns exec` has switched namespace and exec'd sleep.
  for (let i = 0; i < 200; i++) {
    try {
      if (await sameNetns(path, ns.path)) return { pid, path, stop };
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  stop();
  throw new Error(`sleep in ${ns.name} did not start`);
}
