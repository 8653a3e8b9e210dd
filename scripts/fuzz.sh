#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a while each, one after another, starting
# from the corpus kept in the repo (fuzz/corpus/<target>/, read only: what a run finds
# goes to fuzz/target/run/<target>/). Exits non-zero if any target crashed, after
# saying where the crashing input is.
#   scripts/fuzz.sh [seconds-per-target] [target…]    default: 30 s, every target
#   scripts/fuzz.sh --keep [seconds] [target…]        then add what it found to the
#                                                     kept corpus and minimise it (commit it)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

keep=false
if [ "${1:-}" = "--keep" ]; then keep=true; shift; fi
seconds="${1:-30}"
[ $# -gt 0 ] && shift
[[ "$seconds" =~ ^[0-9]+$ ]] || die "usage: scripts/fuzz.sh [--keep] [seconds-per-target] [target…]"
command -v cargo-fuzz >/dev/null || die "cargo-fuzz not found: run scripts/setup.sh --test"

# libFuzzer needs nightly compiler flags; a stable rustc accepts them with this.
export RUSTC_BOOTSTRAP=1
# No sanitizer: the project's crates forbid `unsafe`, so AddressSanitizer would mostly
# slow the runs down; debug assertions (-a) turn integer overflow into a crash instead.
flags=(--fuzz-dir fuzz --sanitizer none --debug-assertions)

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz)

say "Building the fuzz targets"
cargo fuzz build "${flags[@]}"

failed=()
summary=()
for target in "${targets[@]}"; do
  say "Fuzzing $target for $seconds s"
  run="fuzz/target/run/$target"
  rm -rf "$run" && mkdir -p "$run/corpus" "fuzz/artifacts/$target"
  extra=()
  [ -f "fuzz/dicts/$target.dict" ] && extra+=("-dict=fuzz/dicts/$target.dict")
  # New inputs go to the first folder only; the kept corpus is only read.
  if cargo fuzz run "${flags[@]}" "$target" "$run/corpus" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -timeout=10 -print_final_stats=1 "${extra[@]}" >"$run/log" 2>&1; then
    done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$run/log" | tail -1 || true)"
    runs="$(awk '/stat::number_of_executed_units/ { print $2 }' "$run/log")"
    rate="$(awk '/stat::average_exec_per_sec/ { print $2 }' "$run/log")"
    cov="$(sed -nE 's/.*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+\/[0-9]+[a-zA-Z]*).*/cov \1, ft \2, corpus \3/p' <<<"$done_line")"
    summary+=("$(printf '%-12s %11s runs %7s/s  %s' "$target" "$runs" "$rate" "$cov")")
    ok "$target: $runs runs, $rate/s, $cov, $(ls "$run/corpus" | wc -l) new inputs"
    if $keep; then
      # Minimised by the edges the inputs reach, not by hit counts: a few hundred KB in
      # all, and a run gets the counts back within seconds.
      cp "$run/corpus/"* "fuzz/corpus/$target/" 2>/dev/null || true
      cargo fuzz cmin "${flags[@]}" "$target" -- -use_counters=0 >"$run/cmin.log" 2>&1 \
        || die "minimising $target's corpus failed: see $run/cmin.log"
      ok "kept corpus now $(ls "fuzz/corpus/$target" | wc -l) inputs, $(du -sh --apparent-size "fuzz/corpus/$target" | cut -f1)"
    fi
  else
    failed+=("$target")
    grep -E "panicked at|^thread '" -A2 "$run/log" | head -20 >&2 || true
    tail -n 25 "$run/log" >&2
    input="$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$run/log" | tail -1)"
    warn "$target crashed; whole log: $run/log"
    warn "crashing input: ${input:-(none written: see the log)}"
    warn "reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run ${flags[*]} $target ${input:-<input>}"
    summary+=("$(printf '%-12s CRASHED: %s' "$target" "${input:-see $run/log}")")
  fi
done

say "Fuzzing summary ($seconds s per target)"
printf '    %s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ] || die "fuzz target(s) crashed: ${failed[*]}"
