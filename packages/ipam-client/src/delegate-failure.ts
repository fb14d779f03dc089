/**
 * Turning a delegate's non-zero exit into an error, as the Go reference's invoke package does:
 * the error object it printed on stdout is passed up with its own code, msg and details; with an
 * empty stdout the message quotes its stderr. Cases the delegate did not classify get code 999
 * (Go uses 0, "unknown", which a runtime cannot tell from success-shaped garbage).
 */
import type { RunResult } from '@cnikit/netops';
import { IpamError } from './errors.js';

/** The error for a delegate run that exited non-zero (and did not time out). */
export function delegateFailure(run: Pick<RunResult, 'exitCode' | 'stdout' | 'stderr'>): IpamError {
  const fallback = fallbackMessage(run);
  if (run.stdout.trim() === '') return new IpamError('delegate', fallback);

  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch (err) {
    return unparsable(run.stdout, (err as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return unparsable(run.stdout, 'not a JSON object');

  const { code, msg, details } = parsed as Record<string, unknown>;
  return new IpamError('delegate', typeof msg === 'string' && msg !== '' ? msg : fallback, {
    code: typeof code === 'number' && Number.isInteger(code) && code >= 0 ? code : undefined,
    details: typeof details === 'string' ? details : undefined,
  });
}

/** The message when stdout carries no error text: the stderr, quoted, or the exit status. */
function fallbackMessage(run: Pick<RunResult, 'exitCode' | 'stderr'>): string {
  if (run.stderr !== '') return `netplugin failed: ${JSON.stringify(run.stderr)}`;
  return `netplugin failed with no error message: exit status ${run.exitCode}`;
}

function unparsable(stdout: string, why: string): IpamError {
  return new IpamError(
    'delegate',
    `netplugin failed but error parsing its diagnostic message ${JSON.stringify(stdout)}: ${why}`,
  );
}
