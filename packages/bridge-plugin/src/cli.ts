#!/usr/bin/env node
// The npm bin (`cnikit-bridge`): the bridge plugin on Node with the packages' default seams.
import { runPlugin } from '@cnikit/cni-skel';
import { createBridgePlugin } from './plugin.js';
import { searchPath } from './runtime/search-path.js';

// A runtime may exec plugins without PATH: then the usual sbin/bin directories are searched.
process.env.PATH = searchPath(process.env.PATH).join(':');
process.exitCode = await runPlugin(createBridgePlugin());
