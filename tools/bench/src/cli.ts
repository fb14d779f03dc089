/** `node tools/bench/dist/cli.js` (what `npm run bench` starts, from the repository root). */
import { main } from './orchestrate.js';
import { BenchError } from './errors.js';

try {
  process.exitCode = await main(process.env, process.cwd());
} catch (err) {
  const message =
    err instanceof BenchError
      ? err.message
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
  process.stderr.write(`bench: ${message}\n`);
  process.exitCode = 2;
}
