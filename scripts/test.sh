#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every workspace's tests through
# nx, and ends with one line "N passed, N failed, N skipped". Privileged e2e tests run only as root.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh || exit 1
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
[[ $(id -u) -eq 0 ]] || echo "test: not root, so the privileged e2e tests (network namespaces) will be skipped" >&2
rm -rf packages/*/.test-results tools/*/.test-results examples/*/.test-results
npx nx run-many -t test --outputStyle=stream "$@"
rc=$?
node scripts/test-summary.mjs
sum=$?
((rc != 0)) && exit "$rc"
exit "$sum"
