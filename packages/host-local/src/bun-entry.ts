/** The entry of the single executable (dist/host-local): host-local with Bun-native seams. */
import { bunIo, runPlugin } from '@cnikit/cni-skel';
import { bunGlobal, ffiFlockLocker } from './bun-runtime.js';
import { createHostLocalPlugin } from './plugin.js';

const bun = bunGlobal();
if (bun === undefined) throw new Error('this entry runs under Bun only; use cli.js on Node');
const locker = await ffiFlockLocker();
process.exitCode = await runPlugin(
  createHostLocalPlugin(locker ? { locker } : {}),
  bunIo(bun, process.env),
);
