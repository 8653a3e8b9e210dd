#!/usr/bin/env bash
# Builds the browser bundle into target/site and the server binary.
#   scripts/build-site.sh            debug build (fast; for tests)
#   scripts/build-site.sh --release  optimised: wasm-release profile, wasm-opt -Os, release server
#   scripts/build-site.sh --release --bundle-only   the optimised browser bundle only
#   (WIJKPOST_SITE_DIR=<dir> puts the site elsewhere than target/site)
# Does what cargo-leptos does, without needing it installed (it takes ~20 min to build).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
RELEASE=false
BUNDLE_ONLY=false
for arg in "$@"; do
  case "$arg" in
    --release) RELEASE=true ;;
    --bundle-only) BUNDLE_ONLY=true ;;
    *) die "unknown option $arg" ;;
  esac
done
if $RELEASE; then wasm_profile=wasm-release; wasm_dir=wasm-release; server_flag=--release
else wasm_profile=dev; wasm_dir=debug; server_flag=""; fi

route="$(wasm_route)"
say "Browser bundle ($wasm_profile, $route route)"
t0=$(date +%s)
if [ "$route" = debian ]; then
  # std is compiled from source with Debian's rustc; without reference types so that
  # Debian's binaryen can optimise it. These settings stay on this command line: in
  # .cargo/config.toml they would rebuild std for the server too. They replace that
  # file's rustflags, so its `erase_components` (which the server has too) is repeated.
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-19/bin/wasm-ld \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Ctarget-feature=-reference-types,-multivalue --cfg erase_components" \
    cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$wasm_profile" \
      -Zbuild-std=std,panic_abort --target-dir "$FRONT_TARGET-debian"
elif [ "$route" = rustup ]; then
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$wasm_profile" --target-dir "$FRONT_TARGET"
else
  die "no wasm32 toolchain: run scripts/setup.sh"
fi

front_dir="$FRONT_TARGET"
[ "$route" != debian ] || front_dir="$FRONT_TARGET-debian"
built="$front_dir/wasm32-unknown-unknown/$wasm_dir/frontend.wasm"
mkdir -p "$SITE/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name wijkpost \
  "$built"

if $RELEASE; then
  if [ "$route" = debian ]; then opt=/usr/bin/wasm-opt; else opt="$TOOLS/node_modules/.bin/wasm-opt"; fi
  if [ -x "$opt" ]; then
    # -Os, not -Oz: binaryen 132's -Oz broke hydration of a page (a marker-node cast
    # hit `unreachable`; see the closing note of issue 4). -Os costs 3 % in raw size
    # but nothing over the network: -Oz's output gzips larger (838 vs 836 KB, issue 10).
    "$opt" -Os --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      $(if [ "$route" = rustup ]; then echo --enable-reference-types --enable-multivalue; fi) \
      "$SITE/pkg/wijkpost_bg.wasm" -o "$SITE/pkg/wijkpost_bg.wasm.opt"
    mv "$SITE/pkg/wijkpost_bg.wasm.opt" "$SITE/pkg/wijkpost_bg.wasm"
  else
    warn "wasm-opt not found ($opt): run scripts/setup.sh; the bundle stays unoptimised"
  fi
fi

cp style/main.css "$SITE/pkg/wijkpost.css"
cp -r public/. "$SITE/"
# The bundle's content hash goes into asset URLs (?v=), so browsers may cache for a year.
cat "$SITE/pkg/wijkpost_bg.wasm" "$SITE/pkg/wijkpost.js" "$SITE/pkg/wijkpost.css" \
  | sha256sum | cut -c1-16 > "$SITE/pkg/version.txt"
# Release: the smallest files (brotli 11 takes ~20 s on the bundle). Debug: quick.
if $RELEASE; then gzip_level=-9; brotli_level=11; else gzip_level=-1; brotli_level=1; fi
for f in "$SITE"/pkg/wijkpost_bg.wasm "$SITE"/pkg/wijkpost.js "$SITE"/pkg/wijkpost.css; do
  gzip "$gzip_level" -k -f "$f"
  if command -v brotli >/dev/null; then brotli -f -q "$brotli_level" "$f"; fi
done
raw=$(stat -c %s "$SITE/pkg/wijkpost_bg.wasm"); gz=$(stat -c %s "$SITE/pkg/wijkpost_bg.wasm.gz")
br=""
[ ! -f "$SITE/pkg/wijkpost_bg.wasm.br" ] || br=", $(( $(stat -c %s "$SITE/pkg/wijkpost_bg.wasm.br") / 1024 )) KiB brotli"
# The release figure is held to a budget by the test command (end2end/release/budget.test.mjs).
budget=""
! $RELEASE || budget=" (budget: 400 KiB gzip)"
ok "wasm $((raw / 1024)) KiB raw, $((gz / 1024)) KiB gzip$br$budget ($(( $(date +%s) - t0 )) s)"

if $BUNDLE_ONLY; then exit 0; fi
server_profile=debug
[ -z "$server_flag" ] || server_profile=release
say "Server ($server_profile)"
cargo build -p server $server_flag
ok "target/$server_profile/wijkpost"
