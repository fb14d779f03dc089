#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds the plugins, runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
npx nx run @cnikit-tools/demo:build --outputStyle=stream >/dev/null
node tools/demo/dist/main.js
