/**
 * nft plumbing shared by the masquerade backend and the spoof check: one `nft -j list ...` read
 * parsed into chains and rules (with the handles deletes need), and one `nft -f -` transaction.
 */
import { NetfilterError, NetfilterErrorCode, type NetfilterBackendName } from './errors.js';
import { commandFailed, runChecked, runCommand, type ExecContext } from './runner.js';

/** A chain as `nft -j` lists it. */
export interface NftChain {
  family: string;
  table: string;
  name: string;
  handle: number;
}

/** A rule as `nft -j` lists it; `expr` is left as nft's JSON statements. */
export interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle: number;
  comment?: string;
  expr: unknown[];
}

/** The chains and rules of a listing. */
export interface NftListing {
  chains: NftChain[];
  rules: NftRule[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asChain(v: unknown): NftChain | undefined {
  if (!isRecord(v)) return undefined;
  const { family, table, name, handle } = v;
  if (typeof family !== 'string' || typeof table !== 'string' || typeof name !== 'string')
    return undefined;
  if (typeof handle !== 'number') return undefined;
  return { family, table, name, handle };
}

function asRule(v: unknown): NftRule | undefined {
  if (!isRecord(v)) return undefined;
  const { family, table, chain, handle, comment, expr } = v;
  if (typeof family !== 'string' || typeof table !== 'string' || typeof chain !== 'string')
    return undefined;
  if (typeof handle !== 'number' || !Array.isArray(expr)) return undefined;
  const rule: NftRule = { family, table, chain, handle, expr: expr as unknown[] };
  if (typeof comment === 'string') rule.comment = comment;
  return rule;
}

/** Parses `nft -j list ...` output; throws an unexpected-output NetfilterError. */
export function parseNftJson(text: string, backend: NetfilterBackendName): NftListing {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new NetfilterError(
      NetfilterErrorCode.UnexpectedOutput,
      `${backend}: nft -j output is not JSON`,
      {
        backend,
        cause,
      },
    );
  }
  const items = isRecord(doc) ? doc.nftables : undefined;
  if (!Array.isArray(items))
    throw new NetfilterError(
      NetfilterErrorCode.UnexpectedOutput,
      `${backend}: nft -j output has no "nftables" array`,
      {
        backend,
      },
    );
  const listing: NftListing = { chains: [], rules: [] };
  for (const item of items) {
    if (!isRecord(item)) continue;
    const chain = asChain(item.chain);
    if (chain) listing.chains.push(chain);
    const rule = asRule(item.rule);
    if (rule) listing.rules.push(rule);
  }
  return listing;
}

/** nft's answer when the listed table or chain does not exist. */
function isMissingObject(stderr: string): boolean {
  return stderr.includes('No such file or directory');
}

/**
 * Lists `what` (e.g. `['table', 'bridge', 'nat']`); a table or chain that does not exist is an
 * empty listing, not an error.
 */
export async function nftList(
  ctx: ExecContext,
  backend: NetfilterBackendName,
  what: readonly string[],
): Promise<NftListing> {
  const spec = { backend, argv: ['nft', '-j', 'list', ...what] };
  const result = await runCommand(ctx, spec);
  if (result.exitCode !== 0 || result.timedOut) {
    if (!result.timedOut && isMissingObject(result.stderr)) return { chains: [], rules: [] };
    throw commandFailed(spec, result);
  }
  return parseNftJson(result.stdout, backend);
}

/** Applies a script as one atomic `nft -f -` transaction (nothing for an empty script). */
export async function nftApply(
  ctx: ExecContext,
  backend: NetfilterBackendName,
  lines: readonly string[],
): Promise<void> {
  if (lines.length === 0) return;
  await runChecked(ctx, { backend, argv: ['nft', '-f', '-'], input: lines.join('\n') + '\n' });
}

/**
 * Reads, plans and applies; when the transaction fails after it referred to rule handles (which a
 * concurrent operation may have deleted meanwhile), reads and applies once more.
 */
export async function readPlanApply(
  read: () => Promise<NftListing>,
  plan: (listing: NftListing) => { lines: string[]; usesHandles: boolean },
  apply: (lines: readonly string[]) => Promise<void>,
): Promise<void> {
  const first = plan(await read());
  try {
    await apply(first.lines);
  } catch (err) {
    if (!first.usesHandles) throw err;
    await apply(plan(await read()).lines);
  }
}

/** The address or prefix a `match` statement compares `<proto> <field>` with, as nft prints it. */
export function matchRight(
  expr: readonly unknown[],
  protocol: string,
  field: string,
  op: string,
): string | undefined {
  for (const stmt of expr) {
    if (!isRecord(stmt) || !isRecord(stmt.match)) continue;
    const { left, right, op: actualOp } = stmt.match;
    if (actualOp !== op || !isRecord(left) || !isRecord(left.payload)) continue;
    if (left.payload.protocol !== protocol || left.payload.field !== field) continue;
    if (typeof right === 'string') return right;
    if (isRecord(right) && isRecord(right.prefix)) {
      const { addr, len } = right.prefix;
      if (typeof addr === 'string' && typeof len === 'number') return `${addr}/${len}`;
    }
  }
  return undefined;
}

/** The chain a rule jumps or goes to, if any. */
export function jumpTarget(expr: readonly unknown[]): string | undefined {
  for (const stmt of expr) {
    if (!isRecord(stmt)) continue;
    const verdict = isRecord(stmt.jump) ? stmt.jump : isRecord(stmt.goto) ? stmt.goto : undefined;
    if (verdict && typeof verdict.target === 'string') return verdict.target;
  }
  return undefined;
}
