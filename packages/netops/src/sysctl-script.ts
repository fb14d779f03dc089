/**
 * Sysctls of another namespace, written by the same process that runs the batch there:
 * `nsenter --net=P -- sh -c SCRIPT sh /proc/sys N name1 value1 flags1 ... ip -batch -`.
 * The script text is a constant; every name and value reaches it as a positional argument,
 * never spliced into it.
 * It writes each sysctl (if different, unless flagged `a`lways), reports a failed one on stderr
 * as `cnikit-sysctl-failed I`, stops with exit code {@link SYSCTL_FATAL_EXIT} on a failed
 * non-`o`ptional one, and finally execs the command (or exits 0 when there is none).
 */
import { PROC_SYS, type CheckedSysctl } from './sysctl.js';

/** Exit code of the script when a non-optional sysctl could not be written. */
export const SYSCTL_FATAL_EXIT = 125;

/** The stderr marker of a failed write; the text before it (since the last marker) is the reason. */
export const SYSCTL_MARKER = /^cnikit-sysctl-failed (\d+)$/;

/** The script (POSIX sh; `read` and `printf` are builtins, so it forks nothing). */
export const SYSCTL_SCRIPT = [
  'root=$1; n=$2; shift 2; i=0',
  'while [ "$i" -lt "$n" ]; do',
  '  i=$((i + 1)); f="$root/$1"',
  '  case $3 in *a*) ;; *) if { read -r cur < "$f"; } 2>/dev/null && [ "$cur" = "$2" ]; then shift 3; continue; fi ;; esac',
  '  if ! printf \'%s\\n\' "$2" > "$f"; then',
  '    echo "cnikit-sysctl-failed $i" >&2',
  `    case $3 in *o*) ;; *) exit ${SYSCTL_FATAL_EXIT} ;; esac`,
  '  fi',
  '  shift 3',
  'done',
  '[ "$#" -gt 0 ] || exit 0',
  'exec "$@"',
].join('\n');

/**
 * The argv that writes `sysctls` (under `root`, /proc/sys unless a test says otherwise) then
 * execs `command` (which may be empty).
 */
export function sysctlScriptArgv(
  sysctls: readonly CheckedSysctl[],
  command: readonly string[],
  root: string = PROC_SYS,
): string[] {
  const args: string[] = ['sh', '-c', SYSCTL_SCRIPT, 'sh', root, String(sysctls.length)];
  for (const s of sysctls)
    args.push(s.name, s.value, `${s.optional ? 'o' : ''}${s.always ? 'a' : ''}-`);
  return [...args, ...command];
}
