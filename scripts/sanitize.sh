#!/usr/bin/env bash
# Builds the whole test suite with sanitizers in its own build dir and runs it.
#   scripts/sanitize.sh asan    AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   scripts/sanitize.sh tsan    ThreadSanitizer (build-tsan/): the cache shared by worker
#                               threads, the store's lock stripes, cross-thread posts
# Extra arguments go to ctest (e.g. -R Cache). Prints the build and test wall times.
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:?usage: scripts/sanitize.sh asan|tsan [ctest args]}
shift
# -O1 and line tables only (as scripts/fuzz.sh): stack traces keep file:line and the build takes
# about half the time of -O2 -g. The ASan+UBSan build uses exactly the fuzz build's flags
# (CDNLAB_FUZZ=ON: ASan+UBSan non-recoverable plus libFuzzer coverage, which costs little at run
# time), so ccache shares every library object between build-fuzz/ and build-asan/: after a fuzz
# pass (CI runs one) the sanitizer suite compiles only what the fuzzers do not link.
OPT=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only")
case "$KIND" in
  asan) SANFLAGS=(-DCDNLAB_FUZZ=ON) ;;
  tsan) SANFLAGS=(-DCDNLAB_SANITIZE=thread) ;;
  *) echo "sanitize: unknown kind '$KIND' (asan or tsan)" >&2; exit 2 ;;
esac
B=${SANITIZE_BUILD:-build-$KIND}
bash scripts/setup.sh clang-14 libclang-rt-14-dev >/dev/null
# ccache (shared between build dirs) when present: rebuilds after a small change stay cheap.
LAUNCHER=
if command -v ccache >/dev/null; then
  LAUNCHER="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
fi
CC=clang-14 CXX=clang++-14 cmake -S . -B "$B" -G Ninja $LAUNCHER -DCMAKE_BUILD_TYPE=RelWithDebInfo "${OPT[@]}" "${SANFLAGS[@]}" \
  -DCDNLAB_TESTS=ON -DCDNLAB_BENCH=OFF >/dev/null
t0=$(date +%s)
# SANITIZE_TARGETS limits the build (e.g. "cdnlab cdnlab_shop_functions" for the e2e tests alone).
# shellcheck disable=SC2086
cmake --build "$B" -j"${SANITIZE_JOBS:-$(nproc)}" ${SANITIZE_TARGETS:+--target $SANITIZE_TARGETS}
t1=$(date +%s)
echo "sanitize: $KIND build took $((t1 - t0)) s"
# Sanitizer reports fail the test that triggered them; leaks are checked when each process exits.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# TSan: the suppressions file lists the reports inside uninstrumented libraries (each with its
# reason); detect_deadlocks=0 because TSan's lock-order checker holds at most 64 locks per thread
# and a transaction of 100 items holds one lock stripe per item (taken in one global order).
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:detect_deadlocks=0:suppressions=$PWD/cmake/tsan/suppressions.txt}
status=0
(cd "$B" && ctest --output-on-failure -j"$(nproc)" --timeout 1800 "$@") || status=$?
echo "sanitize: $KIND tests took $(( $(date +%s) - t1 )) s (exit $status)"
exit $status
