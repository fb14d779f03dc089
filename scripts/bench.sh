#!/usr/bin/env bash
# `npm run bench`: our bridge plugin against Debian's reference, side by side, in throwaway
# network namespaces. Needs root. Sizes and programs come from the environment; see
# tools/bench/README.md. Writes reports/bench-<time>.{md,svg,json} and prints the tables.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) -ne 0 ]]; then
  echo "bench: run as root (it creates throwaway network namespaces)" >&2
  exit 1
fi
bash scripts/bootstrap.sh

build() {
  NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false npx nx run "$1:build" --outputStyle=stream
}

# Our executable: built when missing, unless CNIKIT_BRIDGE_BIN points at another one.
if [[ -z ${CNIKIT_BRIDGE_BIN:-} ]]; then
  export CNIKIT_BRIDGE_BIN=$PWD/packages/bridge-plugin/dist/bridge
  if [[ ! -x $CNIKIT_BRIDGE_BIN ]]; then
    echo "bench: $CNIKIT_BRIDGE_BIN is missing; building @cnikit/bridge-plugin" >&2
    build @cnikit/bridge-plugin
  fi
  if [[ ! -x $CNIKIT_BRIDGE_BIN ]]; then
    echo "bench: building @cnikit/bridge-plugin did not produce $CNIKIT_BRIDGE_BIN" >&2
    echo "bench: (its build must include the bun single executable; or set CNIKIT_BRIDGE_BIN)" >&2
    exit 1
  fi
fi
# The Node entry is measured when it is built; CNIKIT_BRIDGE_NODE_ENTRY= (empty) leaves it out.
export CNIKIT_BRIDGE_NODE_ENTRY=${CNIKIT_BRIDGE_NODE_ENTRY-$PWD/packages/bridge-plugin/dist/cli.cjs}

# The bench itself, rebuilt when its sources (or test-utils', which it uses) are newer.
stamp=tools/bench/dist/cli.js
if [[ ! -f $stamp || -n $(find tools/bench/src tools/test-utils/src -newer "$stamp" -print -quit) ]]; then
  build @cnikit-tools/bench
fi
exec node "$stamp"
