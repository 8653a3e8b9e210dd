#!/usr/bin/env bash
# Sets up what is missing and runs every test: unit tests, the store suite against
# SQLite and PostgreSQL, the server's HTTP tests, the OpenAPI document checked against
# the running server (schemathesis), and the browser tests in Chromium.
# Exits non-zero on the first failing stage.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(date +%s)
scripts/setup.sh --test
WIJKPOST_TEST_POSTGRES_URL="$(scripts/postgres.sh url)"
export WIJKPOST_TEST_POSTGRES_URL

say "Formatting"
cargo fmt --all --check

say "Unit, store (SQLite + PostgreSQL) and HTTP tests"
# The packages are named, not --workspace: that would build `app` with its browser
# and server features at once.
cargo test -p domain -p store -p service -p app -p server

say "The OpenAPI document against the server (schemathesis)"
scripts/api-fuzz.sh

say "Browser tests (Chromium, playwright-core)"
scripts/build-site.sh
(cd end2end && node --test --test-concurrency=1 tests/)

# What `scripts/run.sh` serves is the optimised bundle, and wasm-opt has broken
# hydration before (see build-site.sh): every page must come alive in it too.
say "Release bundle hydrates (wasm-opt)"
WIJKPOST_SITE_DIR="$ROOT/target/site-release" scripts/build-site.sh --release --bundle-only
(cd end2end && WIJKPOST_SITE_ROOT="$ROOT/target/site-release" node --test release/)

say "All tests passed in $(( $(date +%s) - start )) s"
