/**
 * Fuzzing stdin through the skel: text that is not JSON, JSON that is not an object, oversized
 * input, and valid-ish network configs mutated field by field (wrong types, nulls, huge numbers,
 * hostile text, deep nesting, duplicate keys). Each ends in the code the skel documents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_VERSIONS,
  MAX_STDIN_BYTES,
  definePlugin,
  netConfSchema,
  z,
  type NetConf,
} from '../../src/index.js';
import { invokePlugin } from '../../src/testing.js';
import {
  anyJson,
  hostileString,
  nested,
  nonObjectJson,
  notJson,
  wrongValueText,
} from './arbitraries.js';
import { caseVariant, checkCniOutcome as checkOutcome } from '@cnikit-tools/test-utils';

const GO_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const plugin = definePlugin<NetConf>({
  name: 'stub',
  add: () => ({
    cniVersion: '1.1.0',
    interfaces: [{ name: 'eth0' }],
    ips: [{ address: '10.0.0.2/24', interface: 0 }],
  }),
  del: () => undefined,
  check: () => undefined,
  gc: () => undefined,
  status: () => undefined,
});

const env = (command: string) => ({
  CNI_COMMAND: command,
  CNI_CONTAINERID: 'c1',
  CNI_NETNS: '/var/run/netns/x',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin',
});

const BASE: ReadonlyArray<readonly [string, string]> = [
  ['cniVersion', '"1.0.0"'],
  ['name', '"fuzznet"'],
  ['type', '"stub"'],
];
const FIELDS = [
  'cniVersion',
  'name',
  'type',
  'capabilities',
  'ipam',
  'dns',
  'ipMasq',
  'runtimeConfig',
  'args',
  'prevResult',
  'cni.dev/valid-attachments',
] as const;

/** One change to the base config's entries (as raw JSON text, so duplicates and big numbers survive). */
const mutation = fc
  .oneof(
    fc.record({
      op: fc.constant('set' as const),
      key: fc.constantFrom(...FIELDS),
      value: wrongValueText,
    }),
    fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...FIELDS) }),
    fc.record({
      op: fc.constant('add' as const),
      key: fc.oneof(fc.constantFrom(...FIELDS), hostileString),
      value: wrongValueText,
    }),
    fc.record({
      op: fc.constant('set' as const),
      key: fc.constantFrom(...FIELDS),
      value: fc.constantFrom(
        '"0.4.0"',
        '"1.1.0"',
        '"0.1.0"',
        '"2.0.0"',
        '"1.0"',
        '""',
        '"a b"',
        '"-x"',
        '"net_1.x-y"',
      ),
    }),
  )
  .filter((m) => !/^log/i.test(m.key));

/** The base config with mutations applied, as JSON text (an 'add' may repeat a key). */
const configText = fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => {
  let entries: Array<readonly [string, string]> = [...BASE];
  for (const m of mutations) {
    if (m.op === 'delete') entries = entries.filter(([k]) => k !== m.key);
    else if (m.op === 'set')
      entries = entries.some(([k]) => k === m.key)
        ? entries.map(([k, v]) => [k, k === m.key ? m.value : v] as const)
        : [...entries, [m.key, m.value] as const];
    else entries = [...entries, [m.key, m.value] as const];
  }
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
});

const kind = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** The codes the skel may answer a decoded config with, for ADD and DEL (documented order). */
function allowedCodes(raw: Record<string, unknown>): readonly number[] {
  const name = raw.name ?? '';
  if (typeof name !== 'string') return [6];
  if (name === '' || !GO_NAME.test(name)) return [7];
  const version = raw.cniVersion ?? '';
  if (typeof version !== 'string') return [6];
  if (!(ALL_VERSIONS as readonly string[]).includes(version === '' ? '0.1.0' : version)) return [1];
  if (!z.safeParse(netConfSchema, raw).success) return [7];
  const prev = raw.prevResult;
  return prev === undefined || prev === null ? [0] : [0, 1, 6];
}

describe('fuzzing stdin through the skel', () => {
  it('text that is not JSON is refused with code 6', async () => {
    await fc.assert(
      fc.asyncProperty(
        notJson,
        fc.constantFrom('ADD', 'DEL', 'CHECK', 'GC', 'STATUS'),
        async (stdin, command) => {
          const out = await invokePlugin(plugin, { env: env(command), stdin });
          const error = checkOutcome(out);
          expect(error?.code).toBe(6);
          expect(error?.msg).toMatch(/^error unmarshall network config: /);
        },
      ),
      { numRuns: 300 },
    );
  });

  // Go's decoder refuses a byte order mark ("invalid character 'ï' looking for beginning of
  // value", code 6), and so does the skel.
  it('a UTF-8 byte order mark before the config is refused with code 6, as Go', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('ADD', 'DEL'), async (command) => {
        const stdin = '\ufeff{"cniVersion":"1.0.0","name":"fuzznet","type":"stub"}';
        const out = await invokePlugin(plugin, { env: env(command), stdin });
        expect(checkOutcome(out)?.code).toBe(6);
      }),
      { numRuns: 2 },
    );
  });

  it('JSON that is not an object is refused with code 6', async () => {
    await fc.assert(
      fc.asyncProperty(nonObjectJson, async (stdin) => {
        const out = await invokePlugin(plugin, { env: env('ADD'), stdin });
        expect(checkOutcome(out)?.code).toBe(6);
      }),
      { numRuns: 200 },
    );
  });

  it('mutated configs end in success or the documented code (ADD and DEL)', async () => {
    await fc.assert(
      fc.asyncProperty(configText, fc.constantFrom('ADD', 'DEL'), async (text, command) => {
        const out = await invokePlugin(plugin, { env: env(command), stdin: text });
        const error = checkOutcome(out);
        const allowed = allowedCodes(JSON.parse(text) as Record<string, unknown>);
        expect(allowed).toContain(error?.code ?? 0);
      }),
      { numRuns: 400 },
    );
  });

  it('mutated configs never crash CHECK, GC or STATUS', async () => {
    await fc.assert(
      fc.asyncProperty(
        configText,
        fc.constantFrom('CHECK', 'GC', 'STATUS'),
        async (text, command) => {
          const out = await invokePlugin(plugin, { env: env(command), stdin: text });
          const error = checkOutcome(out);
          expect([0, 1, 6, 7]).toContain(error?.code ?? 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary JSON objects end in success or codes 1, 6 or 7, echoing a string cniVersion', async () => {
    const object = fc.dictionary(
      fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 6 })),
      anyJson,
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(
        object.filter((o) => !Object.keys(o).some((k) => /^log/i.test(k))),
        async (config) => {
          const out = await invokePlugin(plugin, {
            env: env('ADD'),
            stdin: JSON.stringify(config),
          });
          const error = checkOutcome(out);
          expect([0, 1, 6, 7]).toContain(error?.code ?? 0);
          const version = config.cniVersion;
          if (error !== undefined && typeof version === 'string' && version !== '')
            expect(error.cniVersion).toBe(version);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('deep nesting anywhere in the config never crashes the skel', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000, max: 100_000 }),
        fc.constantFrom<'array' | 'object'>('array', 'object'),
        fc.constantFrom('x', 'prevResult', 'ipam', 'args', 'runtimeConfig'),
        async (depth, shape, key) => {
          const text = `{"cniVersion":"1.0.0","name":"n","type":"stub",${JSON.stringify(key)}:${nested('1', depth, shape)}}`;
          const out = await invokePlugin(plugin, { env: env('ADD'), stdin: text });
          const error = checkOutcome(out);
          expect([0, 6, 7]).toContain(error?.code ?? 0);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('stdin over 4 MiB is refused with code 5 before decoding; 4 MiB itself is read', async () => {
    const padded = (size: number): string => {
      const head = '{"cniVersion":"1.0.0","name":"bad name","type":"stub","pad":"';
      return head + 'x'.repeat(size - head.length - 2) + '"}';
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 * 1024 * 1024 }), async (extra) => {
        const over = await invokePlugin(plugin, {
          env: env('ADD'),
          stdin: padded(MAX_STDIN_BYTES + extra),
        });
        expect(checkOutcome(over)).toEqual({
          code: 5,
          msg: `error reading from stdin: input exceeds ${MAX_STDIN_BYTES} bytes`,
        });
      }),
      { numRuns: 8 },
    );
    const atLimit = await invokePlugin(plugin, { env: env('ADD'), stdin: padded(MAX_STDIN_BYTES) });
    expect(checkOutcome(atLimit)?.code).toBe(7); // read and decoded: the bad name is what fails
  });
});

describe('case variants of keys (Go decodes keys case-insensitively)', () => {
  // Go's skel reads `name` and `cniVersion` with encoding/json, which matches keys
  // case-insensitively: {"NAME":"net"} is the network "net" there, and so it is here.
  it('a config whose keys differ in case is read as the Go skel reads it', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseVariant('name').filter((k) => k !== 'name'),
        caseVariant('cniVersion'),
        async (nameKey, versionKey) => {
          const stdin = `{${JSON.stringify(versionKey)}:"1.0.0",${JSON.stringify(nameKey)}:"fuzznet","type":"stub"}`;
          const out = await invokePlugin(plugin, { env: env('ADD'), stdin });
          expect(checkOutcome(out)).toBeUndefined();
          expect(out.result).toMatchObject({ cniVersion: '1.0.0' });
        },
      ),
      { numRuns: 20 },
    );
  });

  it('values of exact keys win over nothing else: duplicates keep the last, as Go', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('"bad name"', '"ok"', '1', 'null'), async (first) => {
        const stdin = `{"cniVersion":"1.0.0","name":${first},"name":"fuzznet","type":"stub"}`;
        const out = await invokePlugin(plugin, { env: env('ADD'), stdin });
        expect(checkOutcome(out)).toBeUndefined();
      }),
      { numRuns: 10 },
    );
  });

  it('reports the kind of a non-string name', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyJson.filter((v) => v !== null && typeof v !== 'string'),
        async (name) => {
          const out = await invokePlugin(plugin, { env: env('ADD'), stdin: { name } });
          const error = checkOutcome(out);
          expect(error?.code).toBe(6);
          expect(error?.msg).toContain(kind(name));
        },
      ),
      { numRuns: 100 },
    );
  });
});
