#!/bin/sh
# Idempotent installer for the interop test network (Debian 12, run as root
# in CI; uses sudo when available otherwise).
#   - python3-libtorrent (libtorrent-rasterbar 2.0.x) for lt_node.py
#   - npm dependencies (bittorrent-dht, pinned by package-lock.json) for bt_node.js
#   - chromium + chromium-driver for the dashboard's browser test (dht-http DashboardBrowserTest)
#   - postgresql (only its binaries: tests start a throwaway cluster, dht-crawl CrawlStoreTest)
#   - promtool (only the binary, extracted from Debian's prometheus package into .tools/) to lint /metrics
set -eu
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=0
apt_update() {
  if [ "$APT_UPDATED" = 0 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
    APT_UPDATED=1
  fi
}
apt_install() {
  apt_update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

if ! /usr/bin/python3 -c 'import libtorrent' >/dev/null 2>&1; then
  echo "setup: installing python3-libtorrent"
  apt_install python3-libtorrent
fi
/usr/bin/python3 -c 'import libtorrent as lt; print("setup: libtorrent", lt.__version__)'

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "setup: installing postgresql"
  apt_install postgresql
  # the package starts a system cluster; the tests only want the binaries
  ($SUDO service postgresql stop || true) >/dev/null 2>&1
fi
echo "setup: $(ls -d /usr/lib/postgresql/*/bin | tail -1)"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -d /usr/share/fonts/truetype/liberation ]; then
  echo "setup: installing chromium, chromium-driver and fonts-liberation"
  apt_install chromium chromium-driver fonts-liberation
fi
echo "setup: $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"

# promtool only: the prometheus package would also install and start a server, so unpack its .deb
if [ ! -x .tools/promtool ] && ! command -v promtool >/dev/null 2>&1; then
  echo "setup: extracting promtool from Debian's prometheus package"
  apt_update
  tmp=$(mktemp -d) && chmod 777 "$tmp"  # apt-get download runs as _apt when it can
  (cd "$tmp" && apt-get download prometheus >/dev/null && dpkg-deb -x prometheus_*.deb x)
  mkdir -p .tools
  cp "$tmp/x/usr/bin/promtool" .tools/promtool
  rm -rf "$tmp"
fi
echo "setup: $( (.tools/promtool --version 2>/dev/null || promtool --version) | head -1)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: node/npm missing, installing Debian nodejs + npm"
  apt_install nodejs npm
fi
echo "setup: node $(node --version), npm $(npm --version 2>/dev/null)"

npm ci --no-audit --no-fund --loglevel=error
node -e 'import("bittorrent-dht").then(() => console.log("setup: bittorrent-dht ok"))'
