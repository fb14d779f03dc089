#!/usr/bin/env node
// `npm run demo`: runs the demo and exits non-zero when any step or ping failed.
import { isRoot, sweepStaleNamespaces } from '@cnikit-tools/test-utils';
import { runDemo } from './demo.js';

if (!isRoot) {
  console.error(
    'npm run demo needs root: it creates network namespaces (run it with sudo or as root)',
  );
  process.exit(1);
}
await sweepStaleNamespaces();
try {
  const outcome = await runDemo();
  const failed = outcome.pings.filter((p) => !p.ok);
  const leftovers = outcome.leftoverReservations.length + (outcome.leftoverPorts ? 1 : 0);
  if (failed.length > 0 || leftovers > 0) {
    console.error(`demo: ${failed.length} ping(s) failed, ${leftovers} leftover(s)`);
    process.exitCode = 1;
  } else {
    console.log('demo: both containers reached each other and the gateway; everything was removed');
  }
} catch (err) {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
