/** Probes of what this kernel can do, made once per test file in a throwaway namespace. */
import { execIn, isRoot, Sandbox } from '@cnikit-tools/test-utils';

/**
 * Why VLAN scenarios cannot run here, or undefined when the kernel can make a bridge with
 * vlan_filtering (kernels without CONFIG_BRIDGE_VLAN_FILTERING answer EOPNOTSUPP).
 */
export async function vlanFilteringUnsupported(): Promise<string | undefined> {
  if (!isRoot) return 'not root';
  const sandbox = new Sandbox();
  try {
    const host = await sandbox.host();
    const r = await execIn(host, [
      'ip',
      'link',
      'add',
      'probe0',
      'type',
      'bridge',
      'vlan_filtering',
      '1',
    ]);
    if (r.exitCode === 0) return undefined;
    return `kernel refuses a vlan_filtering bridge: ${r.stderr.trim()}`;
  } finally {
    await sandbox.cleanup();
  }
}
