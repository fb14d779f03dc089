// Sums the per-workspace summaries written by vitest.shared.ts into one closing line.
// A workspace with a test script but no summary (its runner crashed) counts as one failure.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const { workspaces } = readJson(join(root, 'package.json'));

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const pattern of workspaces) {
  const base = join(root, pattern.replace(/\/\*$/, ''));
  for (const name of existsSync(base) ? readdirSync(base) : []) {
    const pkgFile = join(base, name, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = readJson(pkgFile);
    if (!pkg.scripts?.test) continue;
    const summary = join(base, name, '.test-results', 'summary.json');
    if (!existsSync(summary)) {
      console.error(
        `test-summary: ${pkg.name} wrote no results (its test run crashed or did not run)`,
      );
      totals.failed += 1;
      continue;
    }
    const s = readJson(summary);
    for (const key of Object.keys(totals)) totals[key] += s[key];
  }
}
const line = `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
writeFileSync(join(root, '.test-results.line'), line + '\n');
console.log(line);
process.exitCode = totals.failed > 0 ? 1 : 0;
