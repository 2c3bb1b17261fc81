#!/bin/sh
# Smoke test of the interop network: 20 libtorrent + 20 bittorrent-dht nodes
# on 127.0.0.0/8; bounded by `timeout`.  Extra arguments go to smoke.py
# (e.g. ./smoke.sh --lt 50 --bt 50).
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules/bittorrent-dht ]; then
  echo "node_modules missing: run interop/setup.sh first" >&2
  exit 2
fi
exec timeout -k 10 "${SMOKE_TIMEOUT:-240}" /usr/bin/python3 ./smoke.py "$@"
