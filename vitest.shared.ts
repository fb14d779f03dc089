// Shared vitest settings. Every package's vitest.config.ts spreads this, so tests see the live
// sources of sibling packages through the "@cnikit/source" export condition (no build needed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import type { ViteUserConfig } from 'vitest/config';

/** Writes {passed, failed, skipped} of the run to .test-results/summary.json for scripts/test.sh. */
class SummaryReporter implements Reporter {
  constructor(private readonly root: string) {}

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
  ): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const mod of testModules) {
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed += 1;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    const dir = join(this.root, '.test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ passed, failed, skipped }) + '\n');
  }
}

export function sharedConfig(root: string): ViteUserConfig {
  return {
    resolve: { conditions: ['@cnikit/source'] },
    ssr: { resolve: { conditions: ['@cnikit/source'] } },
    test: {
      root,
      include: ['test/**/*.test.ts'],
      clearMocks: true,
      restoreMocks: true,
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters: ['default', new SummaryReporter(root)],
    },
  };
}
