import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { renderConsoleSummary, renderMarkdown } from '../src/markdown.js';
import type { BenchRun } from '../src/model.js';
import { sampleRun } from './fixtures/sample-run.js';
import { golden } from './golden.js';

/** Table cells are padded; compare with single spaces. */
const squeeze = (text: string) => text.replace(/ +/g, ' ');

describe('renderMarkdown', () => {
  it('renders the report of a fixed run as the golden file', () => {
    const md = renderMarkdown(analyze(sampleRun), 'bench-x.svg');
    expect(md).toBe(golden('report.golden.md', md));
  });

  it('states why a skipped implementation is missing, and says when ours is the reference', () => {
    const run: BenchRun = {
      ...sampleRun,
      implementations: [
        sampleRun.implementations[0]!,
        { ...sampleRun.implementations[1]!, argv: sampleRun.implementations[0]!.argv },
      ],
      skipped: [{ id: 'node', label: 'node entry', reason: 'CNIKIT_BRIDGE_NODE_ENTRY is unset' }],
    };
    const md = squeeze(renderMarkdown(analyze(run), 'c.svg'));
    expect(md).toContain('| node entry | skipped: CNIKIT_BRIDGE_NODE_ENTRY is unset |');
    expect(md).toContain('a challenger is the reference binary itself');
    expect(md).not.toContain('node/ref');
  });
});

describe('renderConsoleSummary', () => {
  it('prints the targets and the tables, and counts failures', () => {
    const text = squeeze(renderConsoleSummary(analyze(sampleRun)));
    expect(text).toContain('| basic DEL, ours/reference | ≤ 1.20 | 1.30 | missed |');
    expect(text).toContain(
      '| basic | ADD | 10.0 (11.0) | 15.0 (16.0) | 1.50 | 130.0 (140.0) | 13.00 |',
    );
    expect(text).toContain('1 call(s) failed');
  });
});
