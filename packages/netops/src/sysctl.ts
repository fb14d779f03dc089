/**
 * Sysctls under /proc/sys. In the caller's own namespace they are read and written directly (no
 * process); for another namespace they are written by the process that enters it (see
 * sysctl-script.ts), since /proc/sys/net shows the namespace of the task that opens it.
 *
 * Names are accepted in slash form (`net/ipv6/conf/br0.100/accept_ra`), which is the only form that
 * works for interface names containing dots, or in dotted form (`net.ipv4.ip_forward`), which is
 * turned into slashes.
 */
import { NetopsError, invalid } from './errors.js';
import { assertIfName, assertPlainText } from './validate.js';
import { classifyMessage } from './classify.js';
import type { SyncSysctlFiles } from './runner.js';

// Loaded on first use: importing netops must not load node:fs (about 4 ms inside a Bun executable).
// Not by import(), which would start Node's ESM loader (several ms).
const fsp = () => process.getBuiltinModule('node:fs/promises');

/** Where sysctls live. */
export const PROC_SYS = '/proc/sys';

/** One sysctl to write. */
export interface SysctlWrite {
  /** Slash or dotted name, relative to /proc/sys. */
  name: string;
  value: string | number;
  /** A failure is reported in the outcome but does not fail the operation. */
  optional?: boolean;
  /** Write even when the current value already equals `value` (default: write only if different). */
  always?: boolean;
}

/** How one sysctl write went. */
export interface SysctlOutcome {
  /** Slash form. */
  readonly name: string;
  readonly value: string;
  readonly status: 'set' | 'failed';
  /** True when written, false when the value was already there; undefined when not known. */
  readonly changed: boolean | undefined;
  readonly message?: string | undefined;
}

/** Options of the direct (own namespace) sysctl functions. */
export interface SysctlFsOptions {
  /** Root instead of /proc/sys (tests). */
  root?: string;
}

const SEGMENT = /^[A-Za-z0-9_.@+-]+$/;

/**
 * The slash form of a sysctl name, checked: no empty, `.` or `..` segment, only characters that
 * occur in sysctl and interface names. Throws a NetopsError of kind `invalid`.
 */
export function sysctlPath(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 512)
    throw invalid(`invalid sysctl name ${JSON.stringify(name)}`);
  const path = name.includes('/') ? name.replace(/^\/+/, '') : name.replaceAll('.', '/');
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || !SEGMENT.test(s)))
    throw invalid(`invalid sysctl name ${JSON.stringify(name)}`);
  return path;
}

/**
 * The slash-form name of a per-interface sysctl, e.g.
 * `interfaceSysctl('ipv6', 'br0.100', 'accept_ra')` gives `net/ipv6/conf/br0.100/accept_ra`.
 * `iface` may also be `all` or `default`.
 */
export function interfaceSysctl(family: 'ipv4' | 'ipv6', iface: string, key: string): string {
  if (!/^[a-z0-9_]+$/.test(key)) throw invalid(`invalid sysctl key ${JSON.stringify(key)}`);
  return sysctlPath(`net/${family}/conf/${assertIfName(iface)}/${key}`);
}

/** The checked text of a sysctl value (no control characters but tab; not empty). */
export function sysctlValue(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'number' && !Number.isFinite(value))
    throw invalid(`invalid sysctl value ${text}`);
  if (text.length === 0) throw invalid('empty sysctl value');
  return assertPlainText(text, 'sysctl value');
}

function fsError(name: string, err: unknown): NetopsError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  return new NetopsError(`sysctl ${name}: ${message}`, {
    kind: code === 'ENOENT' ? 'not-found' : classifyMessage(`${code} ${message}`),
    stage: 'sysctl',
    cause: err,
  });
}

/** Reads a sysctl of the caller's own namespace (trimmed). */
export async function readSysctl(name: string, opts: SysctlFsOptions = {}): Promise<string> {
  const path = sysctlPath(name);
  try {
    return (await fsp().readFile(`${opts.root ?? PROC_SYS}/${path}`, 'utf8')).trim();
  } catch (err) {
    throw fsError(path, err);
  }
}

/** Whether a value read back equals the wanted one, ignoring how the kernel spaces fields. */
function sameValue(current: string, wanted: string): boolean {
  return current.trim().split(/\s+/).join(' ') === wanted.trim().split(/\s+/).join(' ');
}

/**
 * Writes a sysctl of the caller's own namespace, only when different (unless `always`). Returns
 * whether it wrote. Throws a NetopsError (stage `sysctl`).
 */
export async function writeSysctl(
  name: string,
  value: string | number,
  opts: SysctlFsOptions & { always?: boolean } = {},
): Promise<boolean> {
  const path = sysctlPath(name);
  const text = sysctlValue(value);
  const file = `${opts.root ?? PROC_SYS}/${path}`;
  if (!opts.always) {
    try {
      if (sameValue(await fsp().readFile(file, 'utf8'), text)) return false;
    } catch {
      // Unreadable: let the write report the real problem.
    }
  }
  try {
    await fsp().writeFile(file, text);
    return true;
  } catch (err) {
    throw fsError(path, err);
  }
}

/**
 * Writes sysctls of the caller's own namespace in order. A failure of a non-optional one throws
 * (after earlier ones were written); optional failures are reported in the outcomes.
 */
export async function writeOwnSysctls(
  list: readonly SysctlWrite[],
  opts: SysctlFsOptions = {},
): Promise<SysctlOutcome[]> {
  const checked = list.map(checkSysctl);
  const outcomes: SysctlOutcome[] = [];
  for (const s of checked) {
    try {
      const changed = await writeSysctl(s.name, s.value, { ...opts, always: s.always === true });
      outcomes.push({ name: s.name, value: s.value, status: 'set', changed });
    } catch (err) {
      if (!s.optional) throw err;
      const message = err instanceof Error ? err.message : String(err);
      outcomes.push({ name: s.name, value: s.value, status: 'failed', changed: false, message });
    }
  }
  return outcomes;
}

/**
 * Writes checked sysctls in order through synchronous file access (inside a namespace entered with
 * setns): each only when different unless `always`; stops at the first failed non-optional one.
 * Failures are outcomes, never throws: the caller decides what a failure means.
 */
export function writeSysctlsWith(
  files: SyncSysctlFiles,
  list: readonly CheckedSysctl[],
): { outcomes: SysctlOutcome[]; fatal?: CheckedSysctl; message?: string } {
  const outcomes: SysctlOutcome[] = [];
  for (const s of list) {
    const file = `${PROC_SYS}/${s.name}`;
    let current: string | undefined;
    if (!s.always) {
      try {
        current = files.read(file);
      } catch {
        // Unreadable: let the write report the real problem.
      }
    }
    if (current !== undefined && sameValue(current, s.value)) {
      outcomes.push({ name: s.name, value: s.value, status: 'set', changed: false });
      continue;
    }
    try {
      files.write(file, s.value);
      outcomes.push({ name: s.name, value: s.value, status: 'set', changed: true });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      outcomes.push({ name: s.name, value: s.value, status: 'failed', changed: false, message });
      if (!s.optional) return { outcomes, fatal: s, message };
    }
  }
  return { outcomes };
}

/** A write with its name in slash form and its value as checked text. */
export interface CheckedSysctl {
  readonly name: string;
  readonly value: string;
  readonly optional: boolean;
  readonly always: boolean;
}

/** Checks a {@link SysctlWrite}. */
export function checkSysctl(s: SysctlWrite): CheckedSysctl {
  return {
    name: sysctlPath(s.name),
    value: sysctlValue(s.value),
    optional: s.optional === true,
    always: s.always === true,
  };
}
