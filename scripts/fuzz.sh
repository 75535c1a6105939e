#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, -DCDNLAB_FUZZ=ON) in their own build dir and
# runs them on the seed corpus kept in the repository (fuzz/corpus/<target>/).
#   scripts/fuzz.sh                 every target, 20 s each (what CI runs)
#   scripts/fuzz.sh expr 600        one target for 10 minutes
#   scripts/fuzz.sh all 60          every target, 60 s each
# New inputs libFuzzer finds go to $FUZZ_BUILD/corpus/<target>/ (not the repo); a crash leaves its
# input in $FUZZ_BUILD/artifacts/<target>/ and fails the script: turn it into a regression test,
# fix it, and add the input to fuzz/corpus/<target>/. Seconds run per target are appended to
# $FUZZ_BUILD/fuzz-seconds.log. Environment: FUZZ_BUILD (default build-fuzz), FUZZ_JOBS (-j).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:-all}
SECONDS_EACH=${2:-20}
B=${FUZZ_BUILD:-build-fuzz}
# Every fuzz/<target>_fuzz.cc is a target: a new one is fuzzed by "all" (and so by CI) as soon
# as it exists, without a list here to keep in step.
ALL=()
for f in fuzz/*_fuzz.cc; do t=${f#fuzz/}; ALL+=("${t%_fuzz.cc}"); done

bash scripts/setup.sh clang-14 libclang-rt-14-dev >/dev/null
# ccache (shared between build dirs) when present: rebuilds after a small change stay cheap.
LAUNCHER=
if command -v ccache >/dev/null; then
  LAUNCHER="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
fi
# -O1 and line tables only: stack traces keep file:line, and the build (every library with
# ASan+UBSan+coverage) takes about half the time of -O2 -g on a small machine.
if [ ! -f "$B/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$B" -G Ninja $LAUNCHER -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCDNLAB_FUZZ=ON \
    -DCDNLAB_TESTS=OFF -DCDNLAB_BENCH=OFF >/dev/null
fi
if [ "$TARGET" = all ]; then targets=("${ALL[@]}"); else targets=("$TARGET"); fi
# Under a lock: two fuzz.sh runs side by side (two targets at once) share one build dir.
flock "$B/.build.lock" cmake --build "$B" -j"${FUZZ_JOBS:-$(nproc)}" --target "${targets[@]/%/_fuzz}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  mkdir -p "$B/corpus/$t" "$B/artifacts/$t" "fuzz/corpus/$t"
  echo "fuzz: $t for ${SECONDS_EACH}s"
  start=$(date +%s)
  if ! "$B/fuzz/${t}_fuzz" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$B/artifacts/$t/" "$B/corpus/$t" "fuzz/corpus/$t" \
      >"$B/$t.log" 2>&1; then
    echo "fuzz: $t FAILED, see $B/$t.log and $B/artifacts/$t/" >&2
    tail -40 "$B/$t.log" >&2
    status=1
  fi
  echo "$t $(( $(date +%s) - start ))" >>"$B/fuzz-seconds.log"
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$B/$t.log" | tr '\n' ' '; echo
done
exit $status
