#!/usr/bin/env node
// The npm bin (`cnikit-bridge`): starts the plugin's Node main (node-main.cjs, beside this file's
// real path: the bin is usually a symlink) from the V8 code cache made at build time when this
// Node's V8 made it, else as usual (see code-cache.ts). Bun inlines `__dirname` at build time,
// so the path comes from argv, resolved as Node resolves its main module.
import { startFromCodeCache } from './code-cache.js';

const self = process.getBuiltinModule('node:fs').realpathSync(process.argv[1] ?? '');
// This file's `require` resolves from the bundle's directory too: the bundle's is the same.
startFromCodeCache(`${self.slice(0, self.lastIndexOf('/'))}/node-main.cjs`, require);
