#!/usr/bin/env bash
# Builds cnitool (libcni's command-line client, what containerd and CRI-O link) from Debian's source
# package golang-github-appc-cni, offline from the project's point of view: the source comes through a
# temporary deb-src list derived from the machine's apt sources, leaving the system's apt configuration
# and package lists alone. Prints the path of the binary. The binary is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/cnitool
bin=$out/cnitool
[[ -x $bin ]] && { echo "$PWD/$bin"; exit 0; }

command -v go >/dev/null || {
  [[ $(id -u) -eq 0 ]] || { echo "build-cnitool: golang-go is missing; run as root to install it" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go >/dev/null
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/parts" "$work/lists/partial" "$work/src"
# deb-src twins of the machine's deb822 and one-line sources.
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -f $f ]] && sed 's/^Types:.*$/Types: deb-src/' "$f" >"$work/parts/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [[ -f $f ]] && sed -n 's/^deb \(.*\)$/deb-src \1/p' "$f" >>"$work/parts/lines.list"
done
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/parts"
  -o "Dir::State::Lists=$work/lists" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq >/dev/null
(cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only -qq golang-github-appc-cni >/dev/null)

gopath=$work/gopath
mkdir -p "$gopath/src/github.com/containernetworking"
tar -xf "$work"/src/golang-github-appc-cni_*.orig.tar.* -C "$gopath/src/github.com/containernetworking"
mv "$gopath"/src/github.com/containernetworking/golang-github-appc-cni-* "$gopath/src/github.com/containernetworking/cni"
mkdir -p "$out"
# cnitool imports only libcni and the standard library, so GOPATH mode needs nothing fetched.
(cd "$gopath/src/github.com/containernetworking/cni" &&
  GOPATH=$gopath GO111MODULE=off GOCACHE=$work/cache GOFLAGS= go build -o "$OLDPWD/$bin" ./cnitool)
echo "$PWD/$bin"
