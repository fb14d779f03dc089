/**
 * A PATH that records what a plugin starts: every tool it might run is a wrapper, first on PATH,
 * that appends its name to a log and then runs the real one.
 */
import { readFileSync } from 'node:fs';
import { pluginPathEnv } from '@cnikit-tools/test-utils';
import type { Testbed } from './testbed.js';

const TOOLS = ['ip', 'bridge', 'nsenter', 'sh', 'iptables-restore', 'iptables-save', 'nft'];

const REAL: Readonly<Record<string, string>> = { sh: '/bin/sh', nsenter: '/usr/bin/nsenter' };

/** The PATH that finds the wrappers first, and the names started so far, in order. */
export function recordingPath(bed: Testbed): { envPath: string; started: () => string[] } {
  const dir = bed.fakeBin();
  const log = dir.file('started.log');
  for (const tool of TOOLS)
    dir.add(tool, `echo ${tool} >> ${log}\nexec ${REAL[tool] ?? `/usr/sbin/${tool}`} "$@"`);
  const started = () => {
    try {
      return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { envPath: `${dir.dir}:${pluginPathEnv()}`, started };
}
