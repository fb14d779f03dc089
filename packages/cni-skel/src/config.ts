/** Validating a plugin's network config with its schema or its parse function (code 7 on failure). */
import type * as z from 'zod/mini';
import { CniError, ErrorCode, isCniError } from './errors.js';
import { formatIssues } from './schema-issues.js';

/** Any zod 4 schema (zod/mini or classic) whose output is `C`. */
export type ConfigSchema<C> = z.core.$ZodType & { _zod: { output: C } };

/** How a plugin turns the raw config object into its typed config: a zod schema or a function. */
export type ConfigParser<C> = ConfigSchema<C> | ((raw: Record<string, unknown>) => C);

const isSchema = <C>(parser: ConfigParser<C>): parser is ConfigSchema<C> =>
  typeof parser === 'object' && parser !== null && '_zod' in parser;

/**
 * Runs the plugin's config parser. A schema failure becomes code 7, msg naming the first field and
 * reason, details listing every problem. A parse function should throw CniError; any other throw
 * is also reported as code 7 (its message kept, the original as cause).
 */
export async function loadConfig<C>(
  parser: ConfigParser<C>,
  raw: Record<string, unknown>,
): Promise<C> {
  if (isSchema(parser)) {
    // zod loads only for plugins that parse with a schema (a parse function needs none of it).
    const { parseOnce } = await import('./zod-parse.js');
    const parsed = parseOnce(parser, raw);
    if (parsed.success) return parsed.data;
    const problems = formatIssues(parsed.error.issues);
    throw new CniError(ErrorCode.InvalidNetworkConfig, `invalid network config: ${problems[0]}`, {
      details: problems.join('; '),
      cause: parsed.error,
    });
  }
  try {
    return parser(raw);
  } catch (err) {
    if (isCniError(err)) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new CniError(ErrorCode.InvalidNetworkConfig, `invalid network config: ${msg}`, {
      cause: err,
    });
  }
}
