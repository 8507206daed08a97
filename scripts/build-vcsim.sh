#!/usr/bin/env bash
# Builds vcsim (govmomi's vCenter simulator) from test/fixtures/vcsim/main.go with Debian's Go and
# Debian's govmomi sources, for the vSphere tests and benchmark. Nothing is downloaded beyond the
# two apt packages, installed here when missing. Prints the binary's path; rebuilds only when
# main.go, Go or govmomi changed. DRIFTWATCH_VCSIM_CACHE overrides where the binary is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

# Outside node_modules: `npm ci` empties it, and CI runs this script before `npm ci`.
cache=${DRIFTWATCH_VCSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/driftwatch-vcsim}
gocode=/usr/share/gocode
packages=(golang-go golang-github-vmware-govmomi-dev)

if ! command -v go >/dev/null || [[ ! -d $gocode/src/github.com/vmware/govmomi/simulator ]]; then
  as_root=()
  [[ $(id -u) -eq 0 ]] || as_root=(sudo -n)
  echo "installing ${packages[*]} (for vcsim)" >&2
  "${as_root[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
fi

stamp=$( {
  sha256sum test/fixtures/vcsim/main.go
  go version
  dpkg-query -W -f '${Version}\n' golang-github-vmware-govmomi-dev
} | sha256sum | cut -c1-64)

binary=$cache/vcsim
if [[ -x $binary && -f $cache/vcsim.stamp && $(<"$cache/vcsim.stamp") == "$stamp" ]]; then
  echo "$binary"
  exit 0
fi

mkdir -p "$cache"
# GOPATH mode over Debian's gocode tree: its sources have no module cache entry, and GOPROXY=off
# keeps any lookup from reaching the network. Built under a temporary name, then renamed, so two
# test processes building at once never run a half-written binary.
partial=$(mktemp "$cache/vcsim.XXXXXX")
GO111MODULE=off GOPATH=$gocode GOFLAGS= GOPROXY=off GOCACHE=$cache/go-build \
  go build -o "$partial" ./test/fixtures/vcsim
mv -f "$partial" "$binary"
echo "$stamp" >"$cache/vcsim.stamp"
echo "$binary"
