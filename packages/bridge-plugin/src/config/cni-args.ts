/**
 * CNI_ARGS as the reference reads it (cni `types.LoadArgs` into bridge's MacEnvArgs): `K=V;K=V`,
 * keys matched case-sensitively against the Go field names `MAC` and `IgnoreUnknown`.
 */
import { BridgeConfigError } from '../errors.js';

/** What bridge takes from CNI_ARGS. */
export interface BridgeEnvArgs {
  /** The container interface MAC, when given (`MAC=...`). */
  mac?: string;
}

/** Go's %q of a string (enough for CNI_ARGS text: quotes, backslashes, control characters). */
export const goQuote = (s: string): string => JSON.stringify(s);

function parseGoBool(pair: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new BridgeConfigError(
    `ARGS: error parsing value of pair ${goQuote(pair)}: boolean unmarshal error: invalid input ${v}`,
  );
}

/**
 * Parses CNI_ARGS with the reference's rules and error texts.
 * @throws BridgeConfigError `ARGS: invalid pair "x"`, `ARGS: unknown args ["A=1"]`, ...
 */
export function parseBridgeEnvArgs(cniArgs: string | undefined): BridgeEnvArgs {
  const out: BridgeEnvArgs = {};
  if (cniArgs === undefined || cniArgs === '') return out;
  let ignoreUnknown = false;
  const unknown: string[] = [];
  for (const pair of cniArgs.split(';')) {
    const kv = pair.split('=');
    if (kv.length !== 2) throw new BridgeConfigError(`ARGS: invalid pair ${goQuote(pair)}`);
    const [key, value] = kv as [string, string];
    switch (key) {
      case 'MAC':
        out.mac = value;
        break;
      case 'IgnoreUnknown':
        ignoreUnknown = parseGoBool(pair, value);
        break;
      case 'CommonArgs':
        // The embedded struct is a field too in Go's reflection, and not a text unmarshaler.
        throw new BridgeConfigError(
          "ARGS: cannot unmarshal into field 'CommonArgs' - type '*types.CommonArgs' does not implement encoding.TextUnmarshaler",
        );
      default:
        unknown.push(pair);
    }
  }
  if (unknown.length > 0 && !ignoreUnknown)
    throw new BridgeConfigError(`ARGS: unknown args [${unknown.map(goQuote).join(' ')}]`);
  return out;
}
