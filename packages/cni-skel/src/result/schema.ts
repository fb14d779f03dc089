/**
 * Wire shapes of results, one per family, checked before a result is converted. Lenient where the
 * Go reference is (unknown keys ignored, null or "" optional fields read as unset), strict where a
 * bridge would otherwise misbehave (addresses must parse, numbers are unsigned ints).
 *
 * Written as small checking functions rather than zod schemas: every ADD reads two results (the
 * IPAM plugin's and its own), and zod's module and schema set-up cost a one-call plugin process
 * more than the rest of its start-up. Problems read as the config schemas' do ("ips[0].address:
 * expected an IP address").
 */
import { cidrFamily, ipFamily } from '../ip.js';
import { formatPath } from '../schema-issues.js';
import type { ResultFamily } from '../versions.js';

type Path = readonly PropertyKey[];
/** Checks `value` at `path`, appending "path: reason" for each problem to `problems`. */
type Check = (value: unknown, path: Path, problems: string[]) => void;

const problem = (problems: string[], path: Path, reason: string): void => {
  problems.push(`${formatPath(path)}: ${reason}`);
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string that `valid` accepts; `reason` when it does not. */
const text =
  (valid: (s: string) => boolean = () => true, reason = ''): Check =>
  (value, path, problems) => {
    if (typeof value !== 'string') problem(problems, path, 'expected string');
    else if (!valid(value)) problem(problems, path, reason);
  };

const uint: Check = (value, path, problems) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    problem(problems, path, 'expected int');
  else if (value < 0) problem(problems, path, 'must be at least 0');
};

/** null and a missing key both read as unset. */
const nullish =
  (check: Check): Check =>
  (value, path, problems) => {
    if (value !== null && value !== undefined) check(value, path, problems);
  };

const listOf =
  (item: Check): Check =>
  (value, path, problems) => {
    if (!Array.isArray(value)) return problem(problems, path, 'expected array');
    value.forEach((entry, i) => item(entry, [...path, i], problems));
  };

/** An object whose listed keys pass their checks; other keys are ignored. */
const shape =
  (fields: Readonly<Record<string, Check>>): Check =>
  (value, path, problems) => {
    if (!isRecord(value)) return problem(problems, path, 'expected object');
    for (const [key, check] of Object.entries(fields)) check(value[key], [...path, key], problems);
  };

const string = text();
const optString = nullish(string);
const optStrings = nullish(listOf(string));
const optUint = nullish(uint);
const cidr = text(
  (s) => cidrFamily(s) !== undefined,
  'expected an IP address with a prefix length ("10.1.0.5/16")',
);
const optIp = nullish(text((s) => s === '' || ipFamily(s) !== undefined, 'expected an IP address'));

const dns = nullish(
  shape({ nameservers: optStrings, domain: optString, search: optStrings, options: optStrings }),
);
const routes = nullish(
  listOf(
    shape({
      dst: cidr,
      gw: optIp,
      mtu: optUint,
      advmss: optUint,
      priority: optUint,
      table: optUint,
      scope: optUint,
    }),
  ),
);
const ipEntry = { address: cidr, gateway: optIp, interface: optUint };

const ipConfig020 = nullish(
  shape({ ip: cidr, gateway: optIp, routes: nullish(listOf(shape({ dst: cidr, gw: optIp }))) }),
);

const BODIES: Readonly<Record<ResultFamily, Check>> = {
  '100': shape({
    interfaces: nullish(
      listOf(
        shape({
          name: string,
          mac: optString,
          mtu: optUint,
          sandbox: optString,
          socketPath: optString,
          pciID: optString,
        }),
      ),
    ),
    ips: nullish(listOf(shape(ipEntry))),
    routes,
    dns,
  }),
  '040': shape({
    interfaces: nullish(listOf(shape({ name: string, mac: optString, sandbox: optString }))),
    ips: nullish(listOf(shape({ ...ipEntry, version: optString }))),
    routes,
    dns,
  }),
  '020': shape({ ip4: ipConfig020, ip6: ipConfig020, dns }),
};

/** The problems of a result body of `family`, one "path: reason" line each; empty when valid. */
export function resultBodyProblems(raw: unknown, family: ResultFamily): string[] {
  const problems: string[] = [];
  BODIES[family](raw, [], problems);
  return problems;
}
