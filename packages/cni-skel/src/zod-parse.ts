/**
 * Running a zod schema in a plugin process, which lives for one call. Imported dynamically by the
 * skel, so zod loads only when a schema is actually run, and by name, so a bundled executable
 * carries only the parts of zod it uses.
 */
import { safeParse } from 'zod/mini';
import type * as z from 'zod/mini';

/**
 * `safeParse` without JIT-compiled object parsers: zod compiles one with `new Function` on an
 * object schema's first parse, a cost that a process parsing each schema once never earns back.
 */
export function parseOnce<T extends z.core.$ZodType>(
  schema: T,
  raw: unknown,
): z.core.util.SafeParseResult<z.output<T>> {
  return safeParse(schema, raw, { jitless: true });
}
