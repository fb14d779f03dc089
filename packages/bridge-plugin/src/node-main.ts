// The bridge plugin on Node with the packages' default seams: bundled as CommonJS to
// dist/node-main.cjs and started by the npm bin (dist/cli.cjs, see cli.ts). CommonJS because
// Node's CommonJS loader starts a single file about 20 ms sooner than its ESM loader, so the
// entry avoids top-level await.
import { runPlugin } from '@cnikit/cni-skel';
import { createBridgePlugin } from './plugin.js';
import { searchPath } from './runtime/search-path.js';

// A runtime may exec plugins without PATH: then the usual sbin/bin directories are searched.
process.env.PATH = searchPath(process.env.PATH).join(':');
void runPlugin(createBridgePlugin()).then((code) => {
  process.exitCode = code;
});
