/**
 * The CNI_* environment of a call, read and checked in the Go skel's order (cni-spec.md §2.2):
 * variables in a fixed order, every missing required one reported together (code 4), a present
 * required one validated at once (container ID and ifname, only for ADD/CHECK/DEL).
 */
import { CniError, ErrorCode } from './errors.js';
import { validateContainerId, validateInterfaceName } from './validate.js';

/** The commands a plugin handles (VERSION is answered by the skel itself). */
export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'GC' | 'STATUS';

/** The CNI_* variables of one call; unset variables are "". */
export interface RequestEnv {
  command: string;
  containerId: string;
  netns: string;
  ifName: string;
  args: string;
  path: string;
  netnsOverride: string;
}

type Env = Readonly<Record<string, string | undefined>>;

interface VarSpec {
  name: string;
  field: keyof RequestEnv;
  requiredFor: readonly string[];
  validate?: (value: string) => void;
}

const ATTACHMENT = ['ADD', 'CHECK', 'DEL'];
const ALL = ['ADD', 'CHECK', 'DEL', 'GC', 'STATUS'];

// The Go skel's table: order matters, it is the order of names in the "missing" message.
const VARS: readonly VarSpec[] = [
  { name: 'CNI_COMMAND', field: 'command', requiredFor: ALL },
  {
    name: 'CNI_CONTAINERID',
    field: 'containerId',
    requiredFor: ATTACHMENT,
    validate: validateContainerId,
  },
  { name: 'CNI_NETNS', field: 'netns', requiredFor: ['ADD', 'CHECK'] },
  { name: 'CNI_IFNAME', field: 'ifName', requiredFor: ATTACHMENT, validate: validateInterfaceName },
  { name: 'CNI_ARGS', field: 'args', requiredFor: [] },
  { name: 'CNI_PATH', field: 'path', requiredFor: ALL },
  { name: 'CNI_NETNS_OVERRIDE', field: 'netnsOverride', requiredFor: [] },
];

/** Builds the "missing" error (code 4) for the given variable names. */
export const missingEnvError = (names: readonly string[]): CniError =>
  new CniError(
    ErrorCode.InvalidEnvironmentVariables,
    `required env variables [${names.join(',')}] missing`,
  );

/** Reads the CNI_* variables; throws CniError code 4 for missing or invalid ones. */
export function readRequestEnv(env: Env): RequestEnv {
  const out: RequestEnv = {
    command: '',
    containerId: '',
    netns: '',
    ifName: '',
    args: '',
    path: '',
    netnsOverride: '',
  };
  const command = env.CNI_COMMAND ?? '';
  const missing: string[] = [];
  for (const spec of VARS) {
    const value = env[spec.name] ?? '';
    out[spec.field] = value;
    const required = spec.name === 'CNI_COMMAND' || spec.requiredFor.includes(command);
    if (value === '') {
      if (required) missing.push(spec.name);
    } else if (required && spec.validate) {
      spec.validate(value);
    }
  }
  if (missing.length > 0) throw missingEnvError(missing);
  return out;
}

/** CNI_PATH split on ':' (empty entries dropped, so "" gives no directories). */
export const splitCniPath = (path: string): string[] => path.split(':').filter((d) => d !== '');

/** CNI_NETNS_OVERRIDE is "1" or "true" in any case (Go reference). */
export const isNetnsOverride = (value: string): boolean =>
  value === '1' || value.toLowerCase() === 'true';
