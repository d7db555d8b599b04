#!/usr/bin/env bash
# The browser tests drive Debian's chromium; install it when it is missing (needs root or sudo).
set -euo pipefail
[ -x "${KITH_CHROMIUM:-/usr/bin/chromium}" ] && exit 0
echo "Installing Debian's chromium for the browser tests..." >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
