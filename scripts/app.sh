#!/usr/bin/env bash
# Command 1: install what is missing, build, and serve the page on
# http://127.0.0.1:8080 (the page offers a built-in sample model).
#   GC_PORT=N   another port
set -euo pipefail
cd "$(dirname "$0")/.."
port=${GC_PORT:-8080}
echo "== setup";  scripts/setup.sh
echo "== build";  scripts/build.sh native wasm web
echo "== serve:   open http://127.0.0.1:$port/ (Ctrl-C to stop)"
exec node scripts/serve.mjs "${GC_DIST:-dist}" "$port"
