#!/usr/bin/env bash
# Installs what Wijkpost needs, and only what is missing. Safe to run again.
#   scripts/setup.sh          what building and running the app needs
#   scripts/setup.sh --test   that, plus what the tests need (Chromium, Node packages,
#                             cargo-fuzz, PostgreSQL)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
mkdir -p "$TOOLS"
WITH_TESTS=false
[ "${1:-}" = "--test" ] && WITH_TESTS=true

say "Rust toolchain"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs) first"
ok "$(cargo --version)"
if $WITH_TESTS; then
  # The test command lints with clippy.
  if ! cargo clippy --version >/dev/null 2>&1; then
    command -v rustup >/dev/null || die "cargo clippy not found: install clippy for your Rust toolchain"
    timeout 120 rustup component add clippy >/dev/null 2>&1 || die "rustup could not add clippy"
  fi
  ok "$(cargo clippy --version)"
fi

say "Rust standard library for WebAssembly"
route="$(wasm_route)"
if [ "$route" = none ] && command -v rustup >/dev/null; then
  # Downloads from outside the package registries may hang here: bounded try.
  echo "    trying: rustup target add wasm32-unknown-unknown (at most 120 s)"
  timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || warn "rustup could not add the wasm32 target"
  route="$(wasm_route)"
fi
if [ "$route" = none ]; then
  echo "    falling back to Debian's rustc-web, rust-web-src and lld-19 (std built from source)"
  apt_install rustc-web rust-web-src lld-19
  route="$(wasm_route)"
fi
[ "$route" != none ] || die "no way to build for wasm32: neither rustup's target nor Debian's rustc-web is available"
ok "route: $route"

say "wasm-bindgen CLI"
[ -f Cargo.lock ] || cargo generate-lockfile
want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  echo "    installing wasm-bindgen-cli $want into $TOOLS (about 4 minutes, once)"
  cargo install -q wasm-bindgen-cli --version "=$want" --root "$TOOLS"
fi
ok "wasm-bindgen $want"

say "wasm-opt (release size)"
if [ "$route" = debian ]; then
  # The Debian route builds without reference types, which Debian's binaryen 108 handles.
  command -v wasm-opt >/dev/null || apt_install binaryen
  ok "Debian binaryen"
elif [ -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
  ok "binaryen from npm"
elif command -v npm >/dev/null; then
  # Debian's binaryen 108 mis-links reference types (the page never hydrates), so
  # the rustup route takes binaryen from npm.
  (cd "$TOOLS" && npm install --silent --no-audit --no-fund binaryen@132.0.0 >/dev/null) \
    && ok "binaryen from npm" || warn "binaryen not installed: release WASM will be larger"
else
  warn "npm not found: release WASM will not be optimised by wasm-opt"
fi

say "Compression tools"
command -v brotli >/dev/null || apt_install brotli || warn "brotli not installed: assets served gzip only"
ok "gzip$(command -v brotli >/dev/null && echo ', brotli')"

if $WITH_TESTS; then
  say "Chromium for browser tests"
  [ -x /usr/bin/chromium ] || apt_install chromium
  ok "$(/usr/bin/chromium --version 2>/dev/null || echo chromium)"

  say "Node packages for browser tests"
  command -v node >/dev/null || apt_install nodejs npm
  # Reinstall whenever the lockfile changed since the last install.
  if ! cmp -s end2end/package-lock.json end2end/node_modules/.installed-lock.json; then
    (cd end2end && npm ci --silent --no-audit --no-fund && cp package-lock.json node_modules/.installed-lock.json)
  fi
  ok "playwright-core $(node -p "require('./end2end/node_modules/playwright-core/package.json').version")"

  say "cargo-fuzz for the fuzzing stage"
  # libfuzzer-sys compiles libFuzzer's C++ sources.
  command -v c++ >/dev/null || apt_install g++
  if [ "$(cargo-fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    echo "    installing cargo-fuzz $CARGO_FUZZ_VERSION into $TOOLS (about 2 minutes, once)"
    cargo install -q cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --locked --root "$TOOLS"
  fi
  ok "cargo-fuzz $CARGO_FUZZ_VERSION"

  say "schemathesis for the API check"
  if [ ! -x "$SCHEMATHESIS_VENV/bin/schemathesis" ]; then
    command -v python3 >/dev/null || apt_install python3
    # Debian's python3 makes a venv only with python3-venv (ensurepip).
    python3 -m venv "$SCHEMATHESIS_VENV" >/dev/null 2>&1 \
      || { rm -rf "$SCHEMATHESIS_VENV"; apt_install python3-venv; python3 -m venv "$SCHEMATHESIS_VENV"; }
    "$SCHEMATHESIS_VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" \
      || { rm -rf "$SCHEMATHESIS_VENV"; die "could not install schemathesis $SCHEMATHESIS_VERSION from PyPI"; }
  fi
  ok "$("$SCHEMATHESIS_VENV/bin/schemathesis" --version)"

  say "PostgreSQL for the store suite"
  scripts/postgres.sh ensure
fi
say "Set-up complete"
