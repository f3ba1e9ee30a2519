#!/usr/bin/env bash
# install-deps.sh - install what PMIF needs to build, test and run, from
# Debian 12's own packages (and, for the browser tests only, two npm
# packages pinned by tests/web/package-lock.json).  Run as root (or
# through sudo).  Idempotent: installs only what is missing.
set -euo pipefail

PACKAGES=(
	build-essential cmake pkg-config python3
	libprotobuf-c-dev protobuf-c-compiler
	libnanomsg-dev nanomsg-utils
	liblmdb-dev lmdb-utils
	libssl-dev
	libcmocka-dev
	libjansson-dev
	libcsv-dev
	libinih-dev
	libcairo2-dev
	libmicrohttpd-dev curl
	clang libclang-rt-14-dev
	tcpdump
	sqlite3
	poppler-utils
	chromium fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: everything is already installed"
else
	echo "install-deps: installing ${missing[*]}"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The browser tests (tests/web): Node.js and npm (Debian's, unless a node
# and npm are already there), and the two npm packages tests/web's
# lockfile pins (puppeteer-core, axe-core; no browser is downloaded: the
# tests use Debian's chromium above).  npm ci runs again only when the
# lockfile changed since the last install.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "install-deps: installing nodejs npm"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm
fi
WEBTESTS=$(cd "$(dirname "$0")/.." && pwd)/tests/web
STAMP=$WEBTESTS/node_modules/.pmif-lock.sha256
LOCK_SUM=$(sha256sum "$WEBTESTS/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$LOCK_SUM" ]; then
	echo "install-deps: npm ci --prefix tests/web"
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix "$WEBTESTS" --no-audit --no-fund --loglevel=error >/dev/null
	echo "$LOCK_SUM" >"$STAMP"
fi
