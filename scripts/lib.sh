# Shared by Wijkpost's scripts: sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Tools built for the project live outside the clone, so a fresh clone on the same
# machine (CI) reuses them.
TOOLS="${WIJKPOST_TOOLS:-$HOME/.cache/wijkpost/tools}"
export PATH="$TOOLS/bin:$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
FRONT_TARGET="$ROOT/target/front"
# schemathesis checks the OpenAPI document against the server (scripts/api-fuzz.sh);
# pinned, so a fixed seed draws the same cases on every machine.
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV="$TOOLS/schemathesis-$SCHEMATHESIS_VERSION"
# cargo-fuzz for the fuzzing stage (scripts/fuzz.sh); pinned like the other tools.
CARGO_FUZZ_VERSION=0.13.2
# Where a build puts the site; the release-bundle check builds a second one elsewhere.
SITE="${WIJKPOST_SITE_DIR:-$ROOT/target/site}"

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
ok()   { printf '    \033[32mok\033[0m %s\n' "$*"; }
warn() { printf '    \033[33mwarning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs apt-get as root (directly, or through sudo).
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "installing $* needs root: run as root or install: $*"
    sudo="sudo"
  fi
  if [ ! -f "$TOOLS/.apt-updated" ] || [ -n "$(find "$TOOLS/.apt-updated" -mmin +720 2>/dev/null)" ]; then
    $sudo apt-get update -o DPkg::Lock::Timeout=600 -qq || warn "apt-get update failed; trying the install anyway"
    mkdir -p "$TOOLS" && touch "$TOOLS/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 "$@" >/dev/null
}

# The exact wasm-bindgen version in Cargo.lock: the CLI must match it.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# "rustup" when rustup's toolchain has a std for wasm32, "debian" when Debian's
# rustc-web + rust-web-src must build std from source, "none" when neither exists.
wasm_route() {
  if [ -n "${WIJKPOST_WASM_ROUTE:-}" ]; then echo "$WIJKPOST_WASM_ROUTE"; return; fi
  local libdir
  libdir="$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null || true)"
  if [ -n "$libdir" ] && ls "$libdir"/libstd-*.rlib >/dev/null 2>&1; then
    echo rustup
  elif [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] && [ -x /usr/lib/llvm-19/bin/wasm-ld ]; then
    echo debian
  else
    echo none
  fi
}
