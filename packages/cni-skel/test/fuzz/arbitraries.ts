/**
 * fast-check generators of bad input for the skel: hostile strings, CNI_* environments, CNI_ARGS
 * strings and network-config texts (valid-ish configs mutated field by field).
 */
import fc from 'fast-check';
import { anyJsonOf, hostileCharFrom, hostileStringOf, jsonLeaves } from '@cnikit-tools/test-utils';

/** Single characters that break naive parsers, command lines or terminals. */
export const hostileChar = hostileCharFrom(['\u2029', '\ufeff', '*', 'İ']);

/** Strings mixing ordinary text with hostile characters, any code point, and huge runs. */
export const hostileString: fc.Arbitrary<string> = hostileStringOf(hostileChar, {
  maxParts: 12,
  maxBinaryLength: 20,
  maxGraphemeLength: 20,
  repeat: { min: 5_000, max: 70_000 },
});

/** Names the Go regex `^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$` accepts (network names, container IDs). */
export const validName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$/);

/** Interface names the skel accepts (1-15 bytes, not "." or "..", no "/", ":" or blanks). */
export const validIfName = fc
  .stringMatching(/^[A-Za-z0-9_.-]{1,15}$/)
  .filter((n) => n !== '.' && n !== '..');

/** The CNI_* variables the skel reads. */
export const CNI_VARS = [
  'CNI_COMMAND',
  'CNI_CONTAINERID',
  'CNI_NETNS',
  'CNI_IFNAME',
  'CNI_ARGS',
  'CNI_PATH',
  'CNI_NETNS_OVERRIDE',
] as const;
export type CniVar = (typeof CNI_VARS)[number];

/** Plausible and implausible values for each variable ("" and hostile text included). */
const valueFor: Record<CniVar, fc.Arbitrary<string>> = {
  CNI_COMMAND: fc.oneof(
    fc.constantFrom(
      'ADD',
      'DEL',
      'CHECK',
      'GC',
      'STATUS',
      'VERSION',
      'add',
      'Add',
      'ADD ',
      'ADD\n',
      '',
    ),
    hostileString,
  ),
  CNI_CONTAINERID: fc.oneof(validName, fc.constant(''), hostileString),
  CNI_NETNS: fc.oneof(
    fc.constantFrom(
      '/var/run/netns/x',
      '/proc/self/ns/net',
      '/proc/thread-self/ns/net',
      '',
      '/nonexistent/ns',
    ),
    hostileString,
  ),
  CNI_IFNAME: fc.oneof(
    validIfName,
    fc.constantFrom('', '.', '..', 'a'.repeat(16), 'eth0 ', 'e/0', 'e:0', 'é'.repeat(8)),
    hostileString,
  ),
  CNI_ARGS: fc.oneof(fc.constant(''), hostileString),
  CNI_PATH: fc.oneof(fc.constantFrom('/opt/cni/bin', '', ':', '/a:/b'), hostileString),
  CNI_NETNS_OVERRIDE: fc.constantFrom('1', 'true', 'TRUE', 'True', '0', 'false', 'yes', ''),
};

/**
 * A whole environment: each CNI_* variable present (with any value) or absent, plus unrelated
 * variables. Never CNI_LOG_*: a fuzzed log path would make the skel write files anywhere.
 */
export const cniEnv: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.record(valueFor, { requiredKeys: [] }),
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !/^CNI_/i.test(k)),
      hostileString,
      { maxKeys: 3 },
    ),
  )
  .map(([cni, other]) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(other)) env[k] = v;
    for (const [k, v] of Object.entries(cni)) if (v !== undefined) env[k] = v;
    return env;
  });

/** CNI_ARGS-like strings: `;`-separated pieces with zero, one or several `=`. */
export const cniArgsString: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.oneof(
        fc
          .tuple(
            fc.constantFrom('IgnoreUnknown', 'ignoreunknown', 'K8S_POD_NAME', 'MAC', 'IP', 'X'),
            fc.constantFrom('1', 'true', 'TRUE', '0', 'false', 'yes', '', 'maybe'),
          )
          .map(([k, v]) => `${k}=${v}`),
        fc
          .tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }))
          .map(([k, v]) => `${k}=${v}`),
        fc
          .tuple(
            fc.string({ maxLength: 4 }),
            fc.string({ maxLength: 4 }),
            fc.string({ maxLength: 4 }),
          )
          .map((p) => p.join('=')),
        fc.string({ maxLength: 6 }),
        hostileString,
      ),
      { maxLength: 6 },
    )
    .map((pairs) => pairs.join(';')),
  hostileString,
);

/** A JSON value of arbitrary shape (strings may be hostile). */
export const anyJson: fc.Arbitrary<unknown> = anyJsonOf(jsonLeaves(hostileString), 4);

/** JSON text of `value` with one raw replacement: big numbers and exotic literals JSON.stringify cannot write. */
export const rawNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '1.0',
  '-0',
  '0.000000001',
  '9007199254740993',
  '1E2',
);

/** Wraps `inner` JSON text in `depth` arrays or objects. */
export const nested = (inner: string, depth: number, kind: 'array' | 'object'): string =>
  kind === 'array'
    ? '['.repeat(depth) + inner + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + inner + '}'.repeat(depth);

/** JSON text of a value that is not a JSON object. */
export const nonObjectJson = fc.oneof(
  fc.constantFrom('[]', '"x"', '1', 'true', 'false', '[{"name":"n"}]'),
  anyJson
    .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
    .filter((v) => v !== null)
    .map((v) => JSON.stringify(v)),
);

/** True when `text` is JSON, also once a leading byte order mark is dropped (as TextDecoder does). */
const parsesAsJson = (text: string): boolean => {
  try {
    JSON.parse(text.replace(/^\ufeff/, ''));
    return true;
  } catch {
    return false;
  }
};

/** Stdin that is not JSON at all (text or raw bytes). */
export const notJson: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{"name":"n",}',
    "{'name':'n'}",
    '{"name":"n"} {}',
    'NaN',
    '{"name":"n"',
    'null null',
  ),
  hostileString.filter((s) => !parsesAsJson(s)),
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .filter((b) => !parsesAsJson(new TextDecoder().decode(b))),
);

/** A value of the wrong JSON type for most fields, as JSON text. */
export const wrongValueText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', '0', '-1', '""', '[]', '{}', '[null]', '{"":null}'),
  rawNumberText,
  hostileString.map((s) => JSON.stringify(s)),
  anyJson.map((v) => JSON.stringify(v)),
  fc
    .tuple(
      fc.integer({ min: 50, max: 3_000 }),
      fc.constantFrom<'array' | 'object'>('array', 'object'),
    )
    .map(([d, k]) => nested('1', d, k)),
);

/** A valid environment for a random command with zero to two variables replaced or removed. */
export const nearValidEnv: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.constantFrom('ADD', 'DEL', 'CHECK', 'GC', 'STATUS', 'VERSION'),
    validName,
    validIfName,
    fc.array(
      fc.oneof(
        ...CNI_VARS.map((name) =>
          fc.tuple(fc.constant(name), fc.option(valueFor[name], { nil: undefined })),
        ),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([command, id, ifName, changes]) => {
    const env: Record<string, string> = {
      CNI_COMMAND: command,
      CNI_CONTAINERID: id,
      CNI_NETNS: '/var/run/netns/x',
      CNI_IFNAME: ifName,
      CNI_PATH: '/opt/cni/bin',
    };
    for (const [name, value] of changes) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return env;
  });
