#!/usr/bin/env bash
# Builds dist/kith (or the path given) with the Bun that npm installed (node_modules/.bin/bun),
# beside the old binary first and then renamed over it, so a running camp keeps its binary until it
# restarts. Used by install.sh and the Dockerfile alike.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/bun ]; then
  echo "build.sh: node_modules/.bin/bun is missing; run npm ci first." >&2
  exit 1
fi
out="${1:-dist/kith}"
mkdir -p "$(dirname "$out")"
node_modules/.bin/bun build --compile --minify src/main.ts --outfile "$out.new"
# A binary that cannot even print its usage must not replace a working one.
"$out.new" --help >/dev/null
mv -f "$out.new" "$out"
