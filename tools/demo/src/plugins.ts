/**
 * Where the demo finds its plugins: our bridge (the bun single executable) and our host-local, with
 * Debian's reference host-local as the fallback IPAM while ours is not built.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REFERENCE_PLUGIN_DIR } from '@cnikit-tools/test-utils';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const OUR_BRIDGE = join(repoRoot, 'packages/bridge-plugin/dist/bridge');
export const OUR_HOST_LOCAL = join(repoRoot, 'packages/host-local/dist/host-local');
export const REFERENCE_HOST_LOCAL = join(REFERENCE_PLUGIN_DIR, 'host-local');

/** A CNI_PATH directory holding `bridge` and `host-local` as links to the chosen executables. */
export interface PluginDir {
  dir: string;
  bridge: string;
  hostLocal: string;
  /** True when the IPAM is ours (it serves spec 1.1.0; the reference stops at 1.0.0). */
  ourIpam: boolean;
  remove(): void;
}

export function preparePluginDir(): PluginDir {
  if (!existsSync(OUR_BRIDGE)) {
    throw new Error(`${OUR_BRIDGE} is missing: build it first (npm run build)`);
  }
  const ourIpam = existsSync(OUR_HOST_LOCAL);
  const hostLocal = ourIpam ? OUR_HOST_LOCAL : REFERENCE_HOST_LOCAL;
  if (!existsSync(hostLocal)) {
    throw new Error(
      `no host-local IPAM: neither ${OUR_HOST_LOCAL} nor ${REFERENCE_HOST_LOCAL} exists`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'cnikit-demo-bin-'));
  symlinkSync(OUR_BRIDGE, join(dir, 'bridge'));
  symlinkSync(hostLocal, join(dir, 'host-local'));
  return {
    dir,
    bridge: join(dir, 'bridge'),
    hostLocal,
    ourIpam,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
