#!/usr/bin/env bash
# install-deps.sh - install what PMIF needs to build, test and run, from
# Debian 12's own packages.  Run as root (or through sudo).  Idempotent:
# installs only what is missing.
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
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: everything is already installed"
	exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
