#!/usr/bin/env node
/** The npm bin `cnikit-host-local`: host-local on Node with the default seams (flock command lock). */
import { runPlugin } from '@cnikit/cni-skel';
import { hostLocalPlugin } from './plugin.js';

// Never process.exit(): runPlugin resolves once stdout is fully written.
process.exitCode = await runPlugin(hostLocalPlugin);
