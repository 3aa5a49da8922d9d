#!/bin/sh
# install-deps.sh - install the Debian packages rbm needs to build, run and test.
#
# Idempotent: installs only what is missing, as root or through sudo.
# Usage: scripts/install-deps.sh [--check]   (--check: list what is missing, install nothing)
set -eu

# Build and run: storage, JSON, XLSX in and out, hashes and passwords.
PKGS="gcc make pkg-config libsqlite3-dev libjansson-dev libzip-dev libexpat1-dev"
PKGS="$PKGS libsodium-dev"
PKGS="$PKGS libxlsxwriter-dev"
# Message catalogues (msgfmt).
PKGS="$PKGS gettext"
# The web server (rbm serve): libmicrohttpd, gzip through zlib; curl for its tests.
PKGS="$PKGS libmicrohttpd-dev zlib1g-dev curl"
# Publishing: PDF through cairo and pango with Noto fonts; ICU for numbers and collation.
PKGS="$PKGS libpango1.0-dev libcairo2-dev libicu-dev fonts-noto-core fonts-noto-cjk libxml2-dev"
# Checking published documents in tests.
PKGS="$PKGS poppler-utils libxml2-utils unzip"
# Checking DOCX output (tests): headless `libreoffice --convert-to pdf`, no GUI toolkit.
PKGS="$PKGS libreoffice-writer-nogui"
# Checking XLSX exports (tests): headless LibreOffice Calc converts them to CSV.
PKGS="$PKGS libreoffice-calc-nogui"
# Tests: the sqlite3 shell and valgrind.
PKGS="$PKGS sqlite3 valgrind"
# The PostgreSQL back-end: libpq to build; the server for the tests, which start a throw-away
# cluster of their own (tests/harness/pg.sh) and never touch the packaged one.
PKGS="$PKGS libpq-dev postgresql"
# Browser tests (tests/e2e): Debian's Chromium, headless, driven by Playwright on Node.js;
# npm installs Playwright (playwright-core, no browser downloads) into tests/e2e/node_modules.
PKGS="$PKGS chromium nodejs npm"
# The API contract test: JSON Schema (Draft 2020-12) validation of real answers against the
# OpenAPI description; the load check in bench/: wrk.
PKGS="$PKGS python3 python3-jsonschema wrk"

missing=""
for p in $PKGS; do
	# An npm already on PATH will do: NodeSource's nodejs bundles one (and conflicts with Debian's).
	if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then
		continue
	fi
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "missing:$missing"
	exit 1
fi

echo "rbm: installing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "rbm: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
