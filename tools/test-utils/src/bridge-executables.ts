/**
 * Where the built bridge plugin lives, for tests that run it as a CNI runtime would: the Bun
 * executable `dist/bridge` and the Node bin `dist/cli.cjs`. Both behave identically, so a suite
 * can run once per entry of {@link BRIDGE_EXECUTABLES}.
 */
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/bridge-plugin/dist of this checkout. */
export const BRIDGE_PLUGIN_DIST = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../packages/bridge-plugin/dist',
);

/** Which build of the plugin to run. */
export type BridgeExecutableKind = 'bun' | 'node';

/** Both builds, by kind: the compiled executable and the Node bin. */
export const BRIDGE_EXECUTABLES: Readonly<Record<BridgeExecutableKind, string>> = Object.freeze({
  bun: join(BRIDGE_PLUGIN_DIST, 'bridge'),
  node: join(BRIDGE_PLUGIN_DIST, 'cli.cjs'),
});

/**
 * The path of a build, checked to exist and be executable.
 * @throws Error telling to run `npm run build` in packages/bridge-plugin.
 */
export function bridgeExecutable(kind: BridgeExecutableKind): string {
  const file = BRIDGE_EXECUTABLES[kind];
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new Error(`${file} is not built: run \`npm run build\` in packages/bridge-plugin`);
  }
  return file;
}

/** PATH for a plugin process: the system's sbin/bin plus the directory of this `node`. */
export const pluginPathEnv = (): string =>
  [
    dirname(process.execPath),
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/sbin',
    '/usr/bin',
    '/sbin',
    '/bin',
  ].join(':');
