import { describe, expect, it } from 'vitest';
import { chainName, masqueradeComment } from '../src/index.ts';
import { validateIps } from '../src/validate.ts';
import {
  missingRules,
  planKnownTeardown,
  planSetup,
  planTeardown,
  restoreText,
  staleContainers,
  wantedRules,
} from '../src/iptables/plan.ts';
import { parseSave, tokenize } from '../src/iptables/save-parse.ts';
import { fixture } from './helpers/fixtures.ts';

const id = (cid: string) => ({
  chain: chainName('refnet', cid),
  comment: masqueradeComment('refnet', cid),
});
const REF1 = id('ctr-ref-0001');
const DUAL = validateIps(['10.77.0.2/24', 'fd00:77::2/64']);
const EMPTY = parseSave('*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n');
const refV4 = parseSave(fixture('reference-two-containers.iptables-save'));
const refV6 = parseSave(fixture('reference-two-containers.ip6tables-save'));

describe('iptables-save parsing', () => {
  it('reads chains and rules of the nat table, unquoting comments', () => {
    expect([...refV4.chains]).toContain(REF1.chain);
    const jump = refV4.rules.find((r) => r.chain === 'POSTROUTING');
    expect(jump?.args).toEqual([
      '-s',
      '10.77.0.2/32',
      '-m',
      'comment',
      '--comment',
      'name: "refnet" id: "ctr-ref-0001"',
      '-j',
      REF1.chain,
    ]);
  });

  it('ignores other tables', () => {
    const t = parseSave('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -j X\nCOMMIT\n');
    expect(t.rules).toEqual([]);
    expect(t.chains.size).toBe(0);
  });

  it('tokenizes escapes inside quotes', () => {
    expect(tokenize('-A X --comment "a \\"b\\" \\\\c" -j Y')).toEqual([
      '-A',
      'X',
      '--comment',
      'a "b" \\c',
      '-j',
      'Y',
    ]);
  });
});

describe('setup plan', () => {
  it('writes the reference rules on an empty table (golden restore texts)', () => {
    expect(restoreText(planSetup(REF1, 4, DUAL, EMPTY))).toBe(
      fixture('setup-ref-0001.iptables.restore'),
    );
    expect(restoreText(planSetup(REF1, 6, DUAL, EMPTY))).toBe(
      fixture('setup-ref-0001.ip6tables.restore'),
    );
  });

  it('adds nothing to what the reference already wrote', () => {
    expect(planSetup(REF1, 4, DUAL, refV4)).toEqual([]);
    expect(planSetup(REF1, 6, DUAL, refV6)).toEqual([]);
  });

  it('adds only what is missing when the chain exists', () => {
    const partial = parseSave(
      fixture('reference-two-containers.iptables-save')
        .split('\n')
        .filter((l) => !l.includes('MASQUERADE') || !l.includes('ctr-ref-0001'))
        .join('\n'),
    );
    const lines = planSetup(REF1, 4, DUAL, partial);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^-A CNI-188bbe243c5eea7fc5930c46 ! -d 224\.0\.0\.0\/4 .* -j MASQUERADE$/,
    );
  });

  it('follows the reference order for several addresses and skips duplicates', () => {
    const ips = validateIps(['10.1.0.5/24', '10.2.0.5/24', '10.1.0.6/24']);
    const rules = wantedRules(REF1, 4, ips).map((r) => `${r.chain} ${r.args.at(-1)} ${r.args[1]}`);
    expect(rules).toEqual([
      `${REF1.chain} ACCEPT 10.1.0.0/24`,
      `${REF1.chain} MASQUERADE -d`,
      `POSTROUTING ${REF1.chain} 10.1.0.5/32`,
      `${REF1.chain} ACCEPT 10.2.0.0/24`,
      `POSTROUTING ${REF1.chain} 10.2.0.5/32`,
      `POSTROUTING ${REF1.chain} 10.1.0.6/32`,
    ]);
  });

  it('reports missing rules for CHECK', () => {
    expect(missingRules(REF1, 4, DUAL, refV4)).toEqual([]);
    expect(missingRules(REF1, 4, DUAL, EMPTY)).toHaveLength(3);
  });
});

describe('teardown plan', () => {
  it('removes the jump, then flushes and deletes the chain (golden)', () => {
    expect(restoreText(planTeardown([REF1], refV4))).toBe(
      fixture('teardown-ref-0001.iptables.restore'),
    );
  });

  it('with known addresses, without a read, is the same text as the planned one (golden)', () => {
    expect(restoreText(planKnownTeardown(REF1, 4, DUAL))).toBe(
      fixture('teardown-ref-0001.iptables.restore'),
    );
  });

  it('with known addresses deletes one jump per address of the family, then the chain', () => {
    const ips = validateIps(['10.77.0.2/24', '10.77.0.3/24', 'fd00:77::2/64']);
    const lines = planKnownTeardown(REF1, 6, ips);
    expect(lines).toEqual([
      expect.stringMatching(/^-D POSTROUTING -s fd00:77::2\/128 -m comment/),
      `-F ${REF1.chain}`,
      `-X ${REF1.chain}`,
    ]);
    expect(planKnownTeardown(REF1, 4, ips).filter((l) => l.startsWith('-D'))).toHaveLength(2);
  });

  it('removes legacy subnet jumps, duplicates and uncommented jumps to the chain', () => {
    const lines = planTeardown([REF1], parseSave(fixture('legacy-forms.iptables-save')));
    const deletes = lines.filter((l) => l.startsWith('-D POSTROUTING'));
    expect(deletes.map((l) => tokenize(l)[3])).toEqual([
      '10.77.0.2/32',
      '10.77.0.0/24',
      '10.77.0.2/32',
      '10.77.0.9/32',
    ]);
    expect(lines.slice(-2)).toEqual([`-F ${REF1.chain}`, `-X ${REF1.chain}`]);
    expect(lines.join('\n')).not.toContain('ctr-ref-0002');
  });

  it('plans nothing when the container has no rules', () => {
    expect(planTeardown([id('other')], refV4)).toEqual([]);
  });
});

describe('GC', () => {
  it('finds the network containers that are not kept, from comments', () => {
    expect(staleContainers('refnet', new Set(['ctr-ref-0002']), refV4)).toEqual(['ctr-ref-0001']);
    expect(staleContainers('refnet', new Set(), refV4).sort()).toEqual([
      'ctr-ref-0001',
      'ctr-ref-0002',
    ]);
    expect(staleContainers('othernet', new Set(), refV4)).toEqual([]);
  });
});
