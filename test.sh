#!/usr/bin/env bash
# Runs every test of the project: unit tests, loopback integration tests and the interoperability
# tests against libtorrent and bittorrent-dht (whose dependencies it installs first).
set -euo pipefail
cd "$(dirname "$0")"
if [ -f interop/setup.sh ]; then
  bash interop/setup.sh
fi
exec mvn -B -ntp verify "$@"
