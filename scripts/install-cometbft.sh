#!/usr/bin/env bash
# Installs CometBFT (the consensus engine DeCloud's validators run behind, issue 7) into tools/bin with
# `go install` from its Go module — the only source it may come from — and checks the version. Idempotent:
# does nothing when tools/bin/cometbft already reports the pinned version.
#   scripts/install-cometbft.sh            install if missing
#   COMETBFT_VERSION=v0.38.26 scripts/…    another 0.38 patch release
set -euo pipefail
cd "$(dirname "$0")/.."

version="${COMETBFT_VERSION:-v0.38.26}"
bin="$PWD/tools/bin"
want="${version#v}"

if [ -x "$bin/cometbft" ] && [ "$("$bin/cometbft" version 2>/dev/null)" = "$want" ]; then
  echo "cometbft $want already in tools/bin"
  exit 0
fi
if ! command -v go >/dev/null; then
  for d in /usr/local/go/bin /usr/lib/go/bin; do [ -x "$d/go" ] && PATH="$d:$PATH"; done
fi
command -v go >/dev/null || { echo "install-cometbft: the Go toolchain is needed (go install)" >&2; exit 1; }

mkdir -p "$bin"
echo "installing cometbft $version with go install (a few minutes the first time)…"
GOBIN="$bin" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/cometbft/cometbft/cmd/cometbft@$version"

got="$("$bin/cometbft" version)"
case "$got" in
  0.38.*) echo "cometbft $got installed in tools/bin" ;;
  *) echo "install-cometbft: expected a 0.38.x cometbft, got '$got'" >&2; exit 1 ;;
esac
