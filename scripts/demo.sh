#!/usr/bin/env bash
# The README's first command: install what is missing, build the `cdnlab` binary, then run
# `cdnlab demo`: the default topology (the shop, configs/shop.yaml, embedded in the binary) comes up,
# `cdnlab load` drives ~30 s of geo-routed traffic with live progress lines, prints the per-PoP
# and per-region table, and everything is stopped again (also on Ctrl-C or failure).
# Extra arguments go to `cdnlab demo` (e.g. `bash scripts/demo.sh --duration 10s`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD=${BUILD:-build}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target cdnlab
exec "./$BUILD/cdnlab" demo "$@"
