#!/usr/bin/env bash
# `npm run profile:exe`: records which functions the bridge executable runs for each command and
# writes packages/bridge-plugin/bytecode-order.txt, the profile its `build:exe` lays the bytecode
# out by. With the functions a call runs stored together at the front, a call faults in fewer pages
# of the executable and starts sooner (README, Performance). A profile from an older build still
# applies to the functions that did not change; run this again after larger changes. Needs root:
# every command runs for real, in throwaway network namespaces, with Debian's host-local as IPAM.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) -ne 0 ]]; then
  echo "profile:exe: run as root (it creates throwaway network namespaces)" >&2
  exit 1
fi
bash scripts/bootstrap.sh

plugin=packages/bridge-plugin
profile=$plugin/bytecode-order.txt
ipam_dir=${CNIKIT_PROFILE_CNI_PATH:-/usr/lib/cni}
if [[ ! -x $ipam_dir/host-local ]]; then
  echo "profile:exe: $ipam_dir/host-local is missing (apt-get install containernetworking-plugins)" >&2
  exit 1
fi

npm run build:exe --workspace @cnikit/bridge-plugin >/dev/null
exe=$PWD/$plugin/dist/bridge

run_id=cnikit-order-$$
host=$run_id-h
container=$run_id-c
work=$(mktemp -d)
cleanup() {
  ip netns del "$host" 2>/dev/null || true
  ip netns del "$container" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$host"
ip netns add "$container"
ip -n "$host" link set lo up

export CNI_PATH=$ipam_dir CNI_NETNS=/run/netns/$container

# conf NAME MASQ RANGES_JSON: a network config on its own bridge, host-local state under $work.
conf() {
  printf '{"cniVersion":"1.0.0","name":"%s","type":"bridge","bridge":"cnk-%s","isGateway":true,' \
    "$1" "$1"
  printf '"ipMasq":%s,"ipam":{"type":"host-local","ranges":%s,"dataDir":"%s/ipam"}}\n' \
    "$2" "$3" "$work"
}

# with_prev CONF RESULT: CONF with RESULT as its prevResult (what CHECK and DEL are given).
with_prev() {
  node -e 'const c = JSON.parse(process.argv[1]); c.prevResult = JSON.parse(process.argv[2]);
    console.log(JSON.stringify(c))' "$1" "$2"
}

# call COMMAND CONTAINER_ID CONF [RECORD]: runs the executable in the host namespace, for an
# interface named after the container in the one container namespace; with RECORD, the functions
# it runs go to $work/RECORD.txt.
call() {
  local out
  if ! out=$(env CNI_COMMAND="$1" CNI_CONTAINERID="$2" CNI_IFNAME="e-$2" ${4:+BUN_BYTECODE_ORDER_OUT="$work/$4.txt"} \
    ip netns exec "$host" "$exe" <<<"$3"); then
    echo "profile:exe: $1 of $2 failed: $out" >&2
    exit 1
  fi
  printf '%s' "$out"
}

# record NAME MASQ RANGES_JSON: the first ADD (it makes the bridge), then a later container's
# ADD, CHECK and DEL, each recorded.
record() {
  local c result prev
  c=$(conf "$1" "$2" "$3")
  result=$(call ADD first "$c" "$1-first-add")
  call ADD second "$c" "$1-add" >/dev/null
  prev=$(with_prev "$c" "$(call ADD third "$c")")
  call CHECK third "$prev" "$1-check"
  call DEL third "$prev" "$1-del"
  call DEL second "$c"
  call DEL first "$(with_prev "$c" "$result")"
}

v4='[[{"subnet":"10.250.0.0/24"}]]'
record basic false "$v4"
record masq true '[[{"subnet":"10.250.1.0/24"}]]'
record dual false '[[{"subnet":"10.250.2.0/24"}],[{"subnet":"fd00:250:2::/64"}]]'
CNI_COMMAND=VERSION BUN_BYTECODE_ORDER_OUT=$work/version.txt "$exe" </dev/null >/dev/null

# Most common calls first. Every file lists all the executable's functions, with a mark for those
# its run used; one file with the lines of all of them (each line once, in this order) is read as
# their union: a function any run used counts as used.
order=(basic-add basic-del masq-add masq-del basic-check basic-first-add dual-add dual-del
  masq-check dual-check masq-first-add dual-first-add version)
files=()
for name in "${order[@]}"; do files+=("$work/$name.txt"); done
header=$(head -n 1 "${files[0]}")
for f in "${files[@]}"; do
  if [[ $(head -n 1 "$f") != "$header" ]]; then
    echo "profile:exe: $f starts with $(head -n 1 "$f"), not $header" >&2
    exit 1
  fi
done
{
  echo "$header"
  tail -q -n +2 "${files[@]}" | awk '!seen[$0]++'
} >"$profile.tmp"
mv -f "$profile.tmp" "$profile"
echo "profile:exe: wrote $profile ($(wc -l <"$profile") lines); rebuilding the executable"
npm run build:exe --workspace @cnikit/bridge-plugin >/dev/null
