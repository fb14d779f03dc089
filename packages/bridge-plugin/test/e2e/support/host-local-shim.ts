/**
 * A test double for IPAM at spec 1.1.0. Debian's host-local 1.1.1 speaks spec versions up to
 * 1.0.0 and knows neither GC nor STATUS, so 1.1.0 scenarios put this `host-local` first on
 * CNI_PATH: it hands ADD/DEL/CHECK to the real host-local as 1.0.0 and stamps 1.1.0 on the result
 * (the shapes are the same), answers STATUS with success, and implements GC the way host-local
 * >= 1.6 does: release every reservation whose (containerID, ifname) is not a valid attachment.
 * Any other version goes straight to the real plugin.
 */
import type { FakeBinDir } from '@cnikit-tools/test-utils';
import { REFERENCE_PLUGIN_DIR } from '@cnikit-tools/test-utils';

const SCRIPT = `
REAL=${REFERENCE_PLUGIN_DIR}/host-local
in=$(cat)
ver=$(printf '%s' "$in" | jq -r '.cniVersion // ""') || exit 1
if [ "$ver" != "1.1.0" ]; then
  printf '%s' "$in" | "$REAL"
  exit $?
fi
case "$CNI_COMMAND" in
STATUS) exit 0 ;;
GC)
  dir=$(printf '%s' "$in" | jq -r '(.ipam.dataDir // "/var/lib/cni/networks") + "/" + .name')
  valid=$(printf '%s' "$in" | jq -r '(.["cni.dev/valid-attachments"] // [])[] | .containerID + " " + .ifname')
  for f in "$dir"/*; do
    [ -f "$f" ] || continue
    case "\${f##*/}" in lock|last_reserved_ip.*) continue ;; esac
    id=$(sed -n 1p "$f" | tr -d '\\r')
    ifn=$(sed -n 2p "$f" | tr -d '\\r')
    printf '%s\\n' "$valid" | grep -qxF "$id $ifn" || rm -f "$f"
  done
  exit 0 ;;
esac
down=$(printf '%s' "$in" | jq -c '.cniVersion = "1.0.0" | if .prevResult then .prevResult.cniVersion = "1.0.0" else . end')
out=$(printf '%s' "$down" | "$REAL")
rc=$?
if [ "$rc" -eq 0 ] && [ -n "$out" ]; then
  printf '%s' "$out" | jq '.cniVersion = "1.1.0"'
else
  printf '%s' "$out"
fi
exit "$rc"
`;

/** Writes the shim as `host-local` into `dir`; put `dir` before the reference directory on CNI_PATH. */
export function addHostLocalShim(dir: FakeBinDir): string {
  return dir.add('host-local', SCRIPT);
}
