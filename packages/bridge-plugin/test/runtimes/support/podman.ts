/**
 * Rootful podman 4.3 (crun, CNI backend) confined to a throwaway world, as measured on these
 * machines:
 * - it runs in a Sandbox host namespace joined with `nsenter --net` inside a mount namespace of
 *   its own (`ip netns exec` would remount /sys and hide the cgroup mounts from crun), with a
 *   fresh sysfs, the cgroup tree bound back and the hybrid layout's `unified` mount left out
 *   (crun refuses to mount cgroups while it is there);
 * - libcni's result cache and podman's state have fixed paths, so temp dirs are bound over /run
 *   and /var/lib inside that namespace;
 * - a private containers.conf (CONTAINERS_CONF: cni backend, our plugin and config dirs,
 *   cgroupfs, file events and locks, crun, ulimits of 1024 because the VM's root lacks
 *   CAP_SYS_RESOURCE) and storage.conf (vfs, temp roots);
 * - containers go under a cgroup parent unique to the world, and conmon stays out of cgroups,
 *   so removing that parent leaves the machine's cgroup tree as it was;
 * - the image is `podman import` of a busybox-static rootfs (no registry).
 */
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import {
  MountSession,
  REFERENCE_PLUGIN_DIR,
  Sandbox,
  type ExecResult,
  type Netns,
} from '@cnikit-tools/test-utils';
import { BUSYBOX } from './traffic.js';

/** The image every container runs. */
export const IMAGE = 'localhost/cnikit-busybox:latest';
/** What the image's httpd serves at `/`. */
export const INDEX_BODY = 'cnikit podman\n';

/** busybox applets the tests call inside containers. */
const APPLETS = ['sh', 'httpd', 'ping', 'ip', 'cat', 'sleep', 'wget'];
/** Reference plugins the conflist may use beside our bridge. */
const REFERENCE_PLUGINS = ['host-local', 'portmap', 'tuning', 'loopback'];
const CGROUP_ROOT = '/sys/fs/cgroup';

/** A podman world; see the module doc. */
export class PodmanWorld {
  private constructor(
    readonly sandbox: Sandbox,
    readonly host: Netns,
    readonly session: MountSession,
    /** Root of this world's temp dirs. */
    readonly dir: string,
    /** The cgroup parent of every container, `/cnikit-podman-<pid>-<hex>`. */
    readonly cgroupParent: string,
  ) {}

  /** host-local's store. */
  get dataDir(): string {
    return join(this.dir, 'ipam');
  }

  /** The world's /run as the machine sees it. */
  get runDir(): string {
    return join(this.dir, 'run');
  }

  /** Builds the world around the bridge binary under test; `close()` it in afterAll. */
  static async open(bridge: string): Promise<PodmanWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'cnikit-podman-'));
    const sandbox = new Sandbox();
    try {
      const sub = (name: string): string => {
        const path = join(dir, name);
        mkdirSync(path, { recursive: true });
        return path;
      };
      for (const name of ['run', 'var-lib', 'ipam', 'net.d', 'tmp', 'storage/run', 'storage/graph'])
        sub(name);
      const plugins = sub('plugins');
      symlinkSync(bridge, join(plugins, 'bridge'));
      for (const name of REFERENCE_PLUGINS)
        symlinkSync(join(REFERENCE_PLUGIN_DIR, name), join(plugins, name));
      writeFileSync(join(dir, 'containers.conf'), containersConf(dir));
      writeFileSync(join(dir, 'storage.conf'), storageConf(dir));
      const host = await sandbox.host();
      const session = await MountSession.open({
        netns: host,
        freshSysfs: true,
        binds: [
          { source: join(dir, 'run'), target: '/run' },
          { source: join(dir, 'var-lib'), target: '/var/lib' },
        ],
      });
      const cgroupParent = `/cnikit-podman-${process.pid}-${randomBytes(3).toString('hex')}`;
      return new PodmanWorld(sandbox, host, session, dir, cgroupParent);
    } catch (err) {
      await sandbox.cleanup();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Runs `podman <args>` inside the world. */
  podman(args: readonly string[]): Promise<ExecResult> {
    return this.session.exec(['podman', ...args], {
      env: {
        CONTAINERS_CONF: join(this.dir, 'containers.conf'),
        CONTAINERS_STORAGE_CONF: join(this.dir, 'storage.conf'),
        TMPDIR: join(this.dir, 'tmp'),
      },
    });
  }

  /** Like {@link PodmanWorld.podman}, throwing with stderr on failure; returns stdout trimmed. */
  async mustPodman(args: readonly string[]): Promise<string> {
    const r = await this.podman(args);
    if (r.exitCode !== 0)
      throw new Error(`podman ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  }

  /** Writes a network's conflist into podman's CNI config dir. */
  writeNetwork(name: string, plugins: Record<string, unknown>[]): void {
    const conflist = { cniVersion: '1.0.0', name, plugins };
    writeFileSync(join(this.dir, 'net.d', `${name}.conflist`), JSON.stringify(conflist, null, 2));
  }

  /** Makes {@link IMAGE} from busybox-static with `podman import`. */
  async importImage(): Promise<void> {
    const rootfs = join(this.dir, 'rootfs');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    mkdirSync(join(rootfs, 'www'));
    copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
    for (const applet of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', applet));
    writeFileSync(join(rootfs, 'www', 'index.html'), INDEX_BODY);
    const tarball = join(this.dir, 'rootfs.tar');
    await execa('tar', ['-C', rootfs, '-cf', tarball, '.']);
    await this.mustPodman(['import', tarball, IMAGE]);
  }

  /** `podman run -d` under this world's cgroup parent; returns the container ID. */
  run(name: string, options: readonly string[], command: readonly string[]): Promise<string> {
    return this.mustPodman([
      'run',
      '-d',
      '--name',
      name,
      `--cgroup-parent=${this.cgroupParent}`,
      ...options,
      IMAGE,
      ...command,
    ]);
  }

  /** Runs a command in a container; throws on failure, returns stdout trimmed. */
  exec(name: string, command: readonly string[]): Promise<string> {
    return this.mustPodman(['exec', name, ...command]);
  }

  /** This world's cgroup directories that still exist, deepest first. */
  cgroupLeftovers(): string[] {
    const found: string[] = [];
    const walk = (path: string): void => {
      for (const entry of readdirSync(path, { withFileTypes: true }))
        if (entry.isDirectory()) walk(join(path, entry.name));
      found.push(path);
    };
    for (const controller of readdirSync(CGROUP_ROOT)) {
      const path = join(CGROUP_ROOT, controller, this.cgroupParent);
      if (existsSync(path)) walk(path);
    }
    return found;
  }

  /**
   * Removes every container, then what podman cannot: processes still in the world's cgroups,
   * the cgroups, the mount session, the namespaces and the temp dirs. Idempotent.
   */
  async close(): Promise<void> {
    try {
      await this.podman(['rm', '--all', '--force', '--time', '0']);
    } finally {
      try {
        await this.removeCgroups();
        await this.session.close();
      } finally {
        await this.sandbox.cleanup();
        rmSync(this.dir, { recursive: true, force: true });
      }
    }
  }

  private async removeCgroups(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const dirs = this.cgroupLeftovers();
      if (dirs.length === 0) return;
      for (const dir of dirs) {
        // Only containers of this world live here, so their processes are ours to end.
        for (const pid of readPids(join(dir, 'cgroup.procs'))) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
        try {
          rmdirSync(dir);
        } catch {
          // Busy until its processes are gone; retried.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`cgroups left behind: ${this.cgroupLeftovers().join(', ')}`);
  }
}

function readPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
  } catch {
    return [];
  }
}

function containersConf(dir: string): string {
  return `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
cgroups = "no-conmon"

[network]
network_backend = "cni"
cni_plugin_dirs = ["${join(dir, 'plugins')}"]
network_config_dir = "${join(dir, 'net.d')}"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
lock_type = "file"
runtime = "crun"
image_copy_tmp_dir = "${join(dir, 'tmp')}"
`;
}

function storageConf(dir: string): string {
  return `[storage]
driver = "vfs"
runroot = "${join(dir, 'storage/run')}"
graphroot = "${join(dir, 'storage/graph')}"
`;
}
