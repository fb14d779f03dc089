/**
 * A scriptable fake IPAM plugin on a temp CNI_PATH directory: per CNI_COMMAND it records its env
 * (NUL-separated) and stdin, appends the command to a call log, and prints a configured stdout and
 * stderr with a configured exit code (default: empty output, exit 0).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { FakeBinDir } from '@cnikit-tools/test-utils';

/** What the fake does for one command. */
export interface FakeBehaviour {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Seconds to sleep before answering (for the timeout test). */
  sleep?: number;
}

export class FakeIpam {
  readonly bin: FakeBinDir;
  readonly path: string;

  constructor(readonly name = 'fake-ipam') {
    this.bin = new FakeBinDir('cnikit-ipam-');
    const d = this.bin.dir;
    this.path = this.bin.add(
      name,
      [
        `d='${d}'; n='${name}'; c="$CNI_COMMAND"`,
        'cat > "$d/$n.$c.stdin"',
        'env -0 > "$d/$n.$c.env"',
        'echo "$c" >> "$d/$n.calls"',
        '[ -f "$d/$n.$c.sleep" ] && sleep "$(cat "$d/$n.$c.sleep")"',
        '[ -f "$d/$n.$c.err" ] && cat "$d/$n.$c.err" >&2',
        '[ -f "$d/$n.$c.out" ] && cat "$d/$n.$c.out"',
        'exit "$(cat "$d/$n.$c.rc" 2>/dev/null || echo 0)"',
      ].join('\n'),
    );
  }

  /** Sets what the fake does on `command`. */
  on(command: string, behaviour: FakeBehaviour): this {
    const base = this.bin.file(`${this.name}.${command}`);
    if (behaviour.stdout !== undefined) writeFileSync(`${base}.out`, behaviour.stdout);
    if (behaviour.stderr !== undefined) writeFileSync(`${base}.err`, behaviour.stderr);
    if (behaviour.exitCode !== undefined) writeFileSync(`${base}.rc`, String(behaviour.exitCode));
    if (behaviour.sleep !== undefined) writeFileSync(`${base}.sleep`, String(behaviour.sleep));
    return this;
  }

  /** The commands it received, in order. */
  calls(): string[] {
    const file = this.bin.file(`${this.name}.calls`);
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** The stdin bytes it received for `command`. */
  stdin(command: string): Buffer {
    return readFileSync(this.bin.file(`${this.name}.${command}.stdin`));
  }

  /** The environment it ran with for `command`. */
  env(command: string): Record<string, string> {
    const raw = readFileSync(this.bin.file(`${this.name}.${command}.env`), 'utf8');
    const env: Record<string, string> = {};
    for (const entry of raw.split('\0').filter(Boolean)) {
      const eq = entry.indexOf('=');
      env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  }

  cleanup(): void {
    this.bin.cleanup();
  }
}
