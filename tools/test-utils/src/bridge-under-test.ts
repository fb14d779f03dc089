/**
 * The bridge binary a runtime-level suite drives: the one named by CNIKIT_BRIDGE_BIN, else this
 * checkout's bun executable. CI builds before it tests, so a missing binary is an error, never a
 * reason to skip.
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { BRIDGE_EXECUTABLES } from './bridge-executables.js';
import { REFERENCE_PLUGIN_DIR } from './cni-env.js';

/** The environment variable that names the bridge binary under test. */
export const BRIDGE_BIN_ENV = 'CNIKIT_BRIDGE_BIN';

/** Debian's reference bridge plugin (containernetworking-plugins 1.1.1). */
export const REFERENCE_BRIDGE = `${REFERENCE_PLUGIN_DIR}/bridge`;

/** The absolute path of the binary under test, whether or not it exists. */
export function bridgeUnderTestPath(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[BRIDGE_BIN_ENV];
  return resolve(named !== undefined && named !== '' ? named : BRIDGE_EXECUTABLES.bun);
}

/**
 * The binary under test, checked to be executable.
 * @throws Error saying how to build it or how to point {@link BRIDGE_BIN_ENV} elsewhere.
 */
export function bridgeUnderTest(env: NodeJS.ProcessEnv = process.env): string {
  const file = bridgeUnderTestPath(env);
  try {
    accessSync(file, constants.X_OK);
  } catch (cause) {
    throw new Error(
      `bridge binary under test is missing or not executable: ${file}. Build it ` +
        '(npm run build in packages/bridge-plugin) or set ' +
        `${BRIDGE_BIN_ENV}=${REFERENCE_BRIDGE} to run the suite against the reference.`,
      { cause },
    );
  }
  return file;
}

/** True when `file` is (a link to) the reference bridge, whose known gaps some tests skip. */
export function isReferenceBridge(file: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return real(file) === real(REFERENCE_BRIDGE);
}
