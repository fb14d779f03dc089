// Golden files: compare rendered text with test/fixtures/<name>; UPDATE_GOLDEN=1 rewrites them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The golden text of `name`, written first from `actual` when UPDATE_GOLDEN=1. */
export function golden(name: string, actual: string): string {
  const file = join(import.meta.dirname, 'fixtures', name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  return readFileSync(file, 'utf8');
}
