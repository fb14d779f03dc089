/**
 * The driver's entry: `node driver-main.js <job.json>`, started by the orchestrator through
 * `ip netns exec <host netns>` so that no call it times pays for entering the namespace.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runJob } from './driver/driver.js';
import { parseJob } from './driver/job.js';

const jobFile = process.argv[2];
if (jobFile === undefined) {
  process.stderr.write('usage: driver-main.js <job.json>\n');
  process.exit(2);
}
const job = parseJob(readFileSync(jobFile, 'utf8'));
const run = await runJob(job, (line) => process.stderr.write(`bench: ${line}\n`));
writeFileSync(job.outputFile, JSON.stringify(run));
