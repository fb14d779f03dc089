/**
 * First look at stdin, as the Go skel does before dispatching: a JSON object with a valid `name`
 * (codes 6 and 7), then the config's `cniVersion` (code 6 when it is not a string).
 */
import { CniError, ErrorCode } from './errors.js';
import { DEFAULT_VERSION } from './versions.js';
import { validateNetworkName } from './validate.js';

const decodeError = (reason: string): CniError =>
  new CniError(ErrorCode.DecodingFailure, `error unmarshall network config: ${reason}`);

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Go's encoding/json refuses documents nested deeper than this ("exceeded max depth"). */
export const MAX_JSON_DEPTH = 10_000;

/**
 * The deepest nesting of arrays and objects in a JSON text, counted outside strings. A plain scan:
 * every later reader (the plugin's own config decoding) may then recurse without overflowing.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Decodes stdin into the raw config object (code 6 unless it is a JSON object). */
export function decodeNetConf(stdin: Uint8Array): Record<string, unknown> {
  // Not fatal on bad UTF-8: Go's decoder also replaces invalid bytes instead of failing. A byte
  // order mark is kept, so that it is refused as Go refuses it (it is not JSON whitespace).
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(stdin);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw decodeError(err instanceof Error ? err.message : String(err));
  }
  if (jsonNestingDepth(text) > MAX_JSON_DEPTH) throw decodeError('exceeded max depth');
  // Go decodes `null` into an empty struct: it ends as "missing network name".
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw decodeError(`expected a JSON object, got ${jsonKind(parsed)}`);
  const config = parsed as Record<string, unknown>;
  // The skel's own fields under their exact names, so that schemas read what Go's struct reads.
  for (const key of ['name', 'cniVersion']) {
    if (!Object.hasOwn(config, key)) {
      const value = goField(config, key);
      if (value !== undefined) config[key] = value;
    }
  }
  return config;
}

/**
 * A top-level field as Go's encoding/json reads it into a struct: the exact key, or else any key
 * equal to it ignoring case (the last such key wins, as later keys overwrite earlier ones).
 */
export function goField(config: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(config, key)) return config[key];
  const folded = key.toLowerCase();
  let value: unknown;
  for (const k of Object.keys(config)) if (k.toLowerCase() === folded) value = config[k];
  return value;
}

/** Checks the config's `name`: code 6 when not a string, code 7 when missing or invalid. */
export function checkNetworkName(config: Record<string, unknown>): void {
  const name = goField(config, 'name') ?? '';
  if (typeof name !== 'string') throw decodeError(`name: expected string, got ${jsonKind(name)}`);
  validateNetworkName(name);
}

/** The config's `cniVersion` as sent ("" when absent or null); code 6 when not a string. */
export function rawConfigVersion(config: Record<string, unknown>): string {
  const version = goField(config, 'cniVersion') ?? '';
  if (typeof version !== 'string')
    throw new CniError(
      ErrorCode.DecodingFailure,
      `decoding version from network config: cniVersion: expected string, got ${jsonKind(version)}`,
    );
  return version;
}

/** The version the request is in: the config's `cniVersion`, "" read as 0.1.0 (Go reference). */
export const effectiveVersion = (raw: string): string => (raw === '' ? DEFAULT_VERSION : raw);
