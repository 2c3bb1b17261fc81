#!/bin/sh
# Idempotent installer for the interop test network (Debian 12, run as root
# in CI; uses sudo when available otherwise).
#   - python3-libtorrent (libtorrent-rasterbar 2.0.x) for lt_node.py
#   - npm dependencies (bittorrent-dht, pinned by package-lock.json) for bt_node.js
#   - chromium + chromium-driver for the dashboard's browser test (dht-http DashboardBrowserTest)
set -eu
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
    APT_UPDATED=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

if ! /usr/bin/python3 -c 'import libtorrent' >/dev/null 2>&1; then
  echo "setup: installing python3-libtorrent"
  apt_install python3-libtorrent
fi
/usr/bin/python3 -c 'import libtorrent as lt; print("setup: libtorrent", lt.__version__)'

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "setup: installing chromium and chromium-driver"
  apt_install chromium chromium-driver
fi
echo "setup: $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: node/npm missing, installing Debian nodejs + npm"
  apt_install nodejs npm
fi
echo "setup: node $(node --version), npm $(npm --version 2>/dev/null)"

npm ci --no-audit --no-fund --loglevel=error
node -e 'import("bittorrent-dht").then(() => console.log("setup: bittorrent-dht ok"))'
