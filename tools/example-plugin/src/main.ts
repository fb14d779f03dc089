#!/usr/bin/env node
// The executable: one call. Set exitCode (never process.exit) so stdout drains before exit.
import { runPlugin } from '@cnikit/cni-skel';
import { passthroughPlugin } from './plugin.js';

process.exitCode = await runPlugin(passthroughPlugin);
