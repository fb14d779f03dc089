/**
 * Opening CNI_NETNS as the reference does (statfs: the file must be a namespace file), with its
 * error texts; "does not exist" is told apart because DEL treats it as already cleaned up.
 */
import { BridgeError } from '../errors.js';
import type { BridgeRuntime } from '../runtime/runtime.js';

const NSFS_MAGIC = 0x6e736673;
const PROC_SUPER_MAGIC = 0x9fa0;

/** The netns path does not exist (the container is gone). */
export class NetnsMissingError extends BridgeError {}
Object.defineProperty(NetnsMissingError.prototype, 'name', { value: 'NetnsMissingError' });

/**
 * Checks that `path` is a network namespace file.
 * @throws NetnsMissingError when it does not exist, BridgeError when it is something else.
 */
export async function checkNetnsFile(rt: BridgeRuntime, path: string): Promise<void> {
  let type: number;
  try {
    type = await rt.statfsType(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file or directory' : (err as Error).message;
    const msg = `failed to Statfs ${JSON.stringify(path)}: ${reason}`;
    if (code === 'ENOENT') throw new NetnsMissingError(msg, { cause: err });
    throw new BridgeError(msg, { cause: err });
  }
  if (type !== NSFS_MAGIC && type !== PROC_SUPER_MAGIC)
    throw new BridgeError(`unknown FS magic on ${JSON.stringify(path)}: ${type.toString(16)}`);
}

/** The ADD/CHECK form: `failed to open netns "<path>": <why>`. */
export async function openNetns(rt: BridgeRuntime, path: string): Promise<void> {
  try {
    await checkNetnsFile(rt, path);
  } catch (err) {
    throw new BridgeError(
      `failed to open netns ${JSON.stringify(path)}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
