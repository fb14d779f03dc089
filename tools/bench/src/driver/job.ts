/** What the orchestrator asks the driver to measure, passed as a JSON file. */
import { BenchError, BenchErrorCode } from '../errors.js';
import { CONFIG_NAMES, IMPL_IDS, type ConfigName, type ImplementationSpec } from '../model.js';

/** One config's work for the driver running inside that config's host namespace. */
export interface DriverJob {
  config: ConfigName;
  implementations: ImplementationSpec[];
  /**
   * Container namespaces (nsfs paths), at least one per implementation and `concurrency` of them:
   * implementation i runs its serial cycles in the i-th; concurrent trials use the first ones.
   */
  containerNetns: string[];
  runs: number;
  concurrency: number;
  concurrencyTrials: number;
  resourceRuns: number;
  traceRuns: number;
  /** Directory with host-local (CNI_PATH). */
  cniPath: string;
  /** A private temporary directory for config files, IPAM stores and traces. */
  workDir: string;
  /** Where the driver writes its ConfigRun as JSON. */
  outputFile: string;
}

// Every string here ends up in argv or the environment of a spawned process.
const PLAIN_PATH = /^\/[^\0\n]*$/;

function bad(what: string): never {
  throw new BenchError(BenchErrorCode.DriverFailed, `driver job: ${what}`);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isPath(v: unknown): v is string {
  return typeof v === 'string' && PLAIN_PATH.test(v);
}

function checkImplementation(v: unknown): ImplementationSpec {
  const i = v as Partial<ImplementationSpec> | null;
  if (
    !i ||
    !(IMPL_IDS as readonly unknown[]).includes(i.id) ||
    typeof i.label !== 'string' ||
    typeof i.traced !== 'boolean' ||
    !Array.isArray(i.argv) ||
    i.argv.length === 0 ||
    !isPath(i.argv[0]) ||
    !i.argv.every((a) => typeof a === 'string' && !a.includes('\0'))
  )
    bad(`bad implementation ${JSON.stringify(v)}`);
  return i as ImplementationSpec;
}

/** Parses and validates a job file's text. */
export function parseJob(text: string): DriverJob {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new BenchError(BenchErrorCode.DriverFailed, 'driver job is not JSON', { cause });
  }
  const j = raw as Partial<DriverJob> | null;
  if (!j || !(CONFIG_NAMES as readonly unknown[]).includes(j.config)) bad('unknown config');
  for (const key of [
    'runs',
    'concurrency',
    'concurrencyTrials',
    'resourceRuns',
    'traceRuns',
  ] as const)
    if (!isCount(j[key])) bad(`${key} is not a count`);
  for (const key of ['cniPath', 'workDir', 'outputFile'] as const)
    if (!isPath(j[key])) bad(`${key} is not an absolute path`);
  if (
    !Array.isArray(j.containerNetns) ||
    j.containerNetns.length === 0 ||
    !j.containerNetns.every(isPath)
  )
    bad('containerNetns must be absolute paths');
  if (!Array.isArray(j.implementations)) bad('implementations is not a list');
  if (j.containerNetns.length < Math.max(j.concurrency ?? 0, j.implementations.length))
    bad('fewer container namespaces than implementations or concurrency');
  j.implementations.forEach(checkImplementation);
  return j as DriverJob;
}
