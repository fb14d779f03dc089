/**
 * Kill points for a plugin run: every external program the plugin starts (`ip`, `nsenter`,
 * `sh`, `iptables*`, `nft`, the IPAM plugin) is reached through a counting shim, and the shim of
 * call number N can SIGKILL the plugin just before or just after the real program runs. The
 * points are then "before/after each child process", the places where kernel state changes, and
 * they are the same for every run of the same code. A SIGKILL ends the plugin only; its children
 * finish on their own, as they would under a runtime's timeout, and {@link KillSwitch.settle}
 * waits for them before the test goes on.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { execa } from 'execa';
import { DEFAULT_PLUGIN_PATH_ENV, REFERENCE_PLUGIN_DIR } from '@cnikit-tools/test-utils';

/** When the shim of the chosen call kills the plugin. */
export type KillMode = 'before' | 'after';

/** Programs reached through PATH, with their real paths. */
const PATH_TOOLS: Record<string, string> = {
  ip: '/usr/sbin/ip',
  bridge: '/usr/sbin/bridge',
  nsenter: '/usr/bin/nsenter',
  sh: '/bin/sh',
  iptables: '/usr/sbin/iptables',
  ip6tables: '/usr/sbin/ip6tables',
  'iptables-save': '/usr/sbin/iptables-save',
  'ip6tables-save': '/usr/sbin/ip6tables-save',
  'iptables-restore': '/usr/sbin/iptables-restore',
  'ip6tables-restore': '/usr/sbin/ip6tables-restore',
  nft: '/usr/sbin/nft',
};

/** IPAM plugins reached through CNI_PATH. */
const CNI_TOOLS: Record<string, string> = {
  'host-local': `${REFERENCE_PLUGIN_DIR}/host-local`,
};

/**
 * The shim: holds a shared lock on `alive` while it (and what it starts) runs, takes the next
 * call number under `lock`, and kills the pid in `pid` when the number is `target`. Only
 * absolute paths and builtins inside, so it never reaches another shim by accident.
 */
function shimScript(dir: string, name: string, real: string): string {
  // Builtins where possible: a shim runs for every child process of the plugin.
  return `#!/bin/sh
D='${dir}'
if [ -z "\${CNK_KILLPOINT_HELD:-}" ]; then
  exec 9>>"$D/alive"
  /usr/bin/flock -s 9
  export CNK_KILLPOINT_HELD=1
fi
exec 8>>"$D/lock"
/usr/bin/flock 8
read -r n <"$D/count"
n=$((n + 1))
echo "$n" >"$D/count"
echo "$n ${name}" >>"$D/calls"
exec 8>&-
read -r target <"$D/target"
read -r mode <"$D/mode"
kill_plugin() {
  read -r pid <"$D/pid"
  # Never 0, 1 or a negative number: those would signal process groups or init.
  case "$pid" in '' | 0 | 1 | *[!0-9]*) ;; *) kill -9 "$pid" ;; esac
}
if [ "$n" = "$target" ] && [ "$mode" = before ]; then
  kill_plugin
  exit 1
fi
'${real}' "$@"
rc=$?
if [ "$n" = "$target" ] && [ "$mode" = after ]; then kill_plugin; fi
exit $rc
`;
}

/** A directory of counting shims and the state they share; see the module doc. */
export class KillSwitch {
  private constructor(
    /** The shims' directory, also holding their shared state. */
    readonly dir: string,
    /** Runs the plugin after recording its pid (it execs, so the pid stays the plugin's). */
    readonly launcher: string,
  ) {}

  /** Shims for PATH and CNI_PATH in front of the real programs; `bridge` is the plugin. */
  static create(bridge: string): KillSwitch {
    if (!isAbsolute(bridge) || /[\0\n']/.test(bridge))
      throw new Error(`plugin path unusable in a launcher script: ${bridge}`);
    const dir = mkdtempSync(join(tmpdir(), 'cnikit-killpoint-'));
    try {
      if (/['\n]/.test(dir)) throw new Error(`unusable temp dir ${dir}`);
      for (const [name, real] of Object.entries({ ...PATH_TOOLS, ...CNI_TOOLS }))
        writeExecutable(dir, name, shimScript(dir, name, real));
      const launcher = writeExecutable(
        dir,
        'launch-plugin',
        `#!/bin/sh\necho $$ >'${dir}/pid'\nexec '${bridge}'\n`,
      );
      writeFileSync(join(dir, 'alive'), '');
      writeFileSync(join(dir, 'pid'), '\n');
      const killSwitch = new KillSwitch(dir, launcher);
      killSwitch.reset();
      return killSwitch;
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** PATH for the plugin: the shims first. */
  get pathEnv(): string {
    return `${this.dir}:${DEFAULT_PLUGIN_PATH_ENV}`;
  }

  /** CNI_PATH for the plugin: the IPAM shim first. */
  get cniPath(): string {
    return `${this.dir}:${REFERENCE_PLUGIN_DIR}`;
  }

  /** Starts counting from zero with no kill armed. */
  reset(): void {
    writeFileSync(join(this.dir, 'count'), '0\n');
    writeFileSync(join(this.dir, 'calls'), '');
    this.arm(0, 'before');
  }

  /** Kills the plugin at call `target` (counted from 1 since the last reset; 0 disarms). */
  arm(target: number, mode: KillMode): void {
    writeFileSync(join(this.dir, 'target'), `${target}\n`);
    writeFileSync(join(this.dir, 'mode'), `${mode}\n`);
  }

  /** The calls since the last reset, in order: `1 ip`, `2 host-local`... */
  calls(): string[] {
    return readFileSync(join(this.dir, 'calls'), 'utf8').split('\n').filter(Boolean);
  }

  /** Waits until no shim (and nothing it started) is still running. */
  async settle(timeoutSeconds = 60): Promise<void> {
    await execa('/usr/bin/flock', [
      '-w',
      String(timeoutSeconds),
      '-x',
      join(this.dir, 'alive'),
      '/bin/true',
    ]);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function writeExecutable(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}
