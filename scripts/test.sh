#!/usr/bin/env bash
# The test command: install what is missing, build (warnings are errors here), run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash scripts/setup.sh
BUILD=${BUILD:-build}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="-Werror" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
cd "$BUILD"
ctest --output-on-failure -j"$(nproc)" --timeout 900 "$@"
# A short fuzz pass of every libFuzzer target (clang, ASan+UBSan) on the seed corpus in fuzz/corpus;
# FUZZ_SECONDS=0 skips it.
if [ "${FUZZ_SECONDS:-20}" != 0 ]; then
  cd "$ROOT"
  bash scripts/fuzz.sh all "${FUZZ_SECONDS:-20}"
fi
# The whole suite again under ASan+UBSan (scripts/sanitize.sh asan, build-asan/), after the fuzz
# pass whose library objects it reuses through ccache. ASAN_SUITE=1 turns it on; it is off by
# default because on 2 cores it would take CI past its time budget (docs/testing.md, "What CI runs").
if [ "${ASAN_SUITE:-0}" = 1 ]; then
  cd "$ROOT"
  bash scripts/sanitize.sh asan
fi
