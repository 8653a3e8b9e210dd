#!/usr/bin/env bash
# Sets up what is missing, builds (optimised), and runs Wijkpost on SQLite with demo
# data. Prints the URL and the demo log-ins. Stop with Ctrl-C.
#   scripts/run.sh           release build
#   scripts/run.sh --debug   faster to build, bigger bundle
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
scripts/setup.sh
if [ "${1:-}" = "--debug" ]; then
  scripts/build-site.sh
  bin=target/debug/wijkpost
else
  scripts/build-site.sh --release
  bin=target/release/wijkpost
fi
mkdir -p data
export WIJKPOST_SITE_ROOT="${WIJKPOST_SITE_ROOT:-$ROOT/target/site}"
exec "$bin"
