#!/usr/bin/env bash
# Builds dist/kith with the Bun that npm installed (node_modules/.bin/bun), beside the old binary
# first and then renamed over it, so a running camp keeps its binary until it restarts.
# Used by install.sh and the Dockerfile alike.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/bun ]; then
  echo "build.sh: node_modules/.bin/bun is missing; run npm ci first." >&2
  exit 1
fi
mkdir -p dist
node_modules/.bin/bun build --compile --minify src/main.ts --outfile dist/kith.new
# A binary that cannot even print its usage must not replace a working one.
dist/kith.new --help >/dev/null
mv -f dist/kith.new dist/kith
