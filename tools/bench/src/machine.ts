/** Facts about the machine for the report header. */
import { spawnSync } from 'node:child_process';
import { cpus, release } from 'node:os';

/** Kernel, Node, CPUs and the installed reference package. */
export function describeMachine(): {
  kernel: string;
  node: string;
  cpus: string;
  referencePackage: string;
} {
  const list = cpus();
  const dpkg = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'containernetworking-plugins'], {
    encoding: 'utf8',
  });
  const version = dpkg.status === 0 ? dpkg.stdout.trim() : '';
  return {
    kernel: release(),
    node: process.version,
    cpus: `${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}`,
    referencePackage: version ? `containernetworking-plugins ${version}` : 'unknown version',
  };
}
