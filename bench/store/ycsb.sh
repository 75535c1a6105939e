#!/usr/bin/env bash
# YCSB-like benchmark: cdnlab store (--sync batch) vs dynalite (in memory and on disk), alternating,
# one run. Figures go to bench/store/RESULTS-store.md. See ycsb.py for what is measured.
#   bash bench/store/ycsb.sh                                  # full: 100k items, 20 s x 3 rounds
#   BENCH_DURATION=3 BENCH_ROUNDS=1 BENCH_RECORDS=5000 bash bench/store/ycsb.sh   # smoke run
# BENCH_SERVERS=dynalite-mem,dynalite-disk leaves cdnlab out; CDNLAB_BIN picks the binary
# (default build/cdnlab, built with `cmake --build build --target cdnlab`). BENCH_CLIENT=wrk drives
# the servers with wrk + workload.lua instead of the lean C client (ycsb_client.c, built by ycsb.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v wrk >/dev/null || bash "$root/scripts/setup.sh" wrk
# dynalite at the version pinned in tests/clients/dynalite/package-lock.json (not under bench/:
# CMake globs every .cc below bench/ into cdnlab_bench, node_modules included).
ref="$root/tests/clients/dynalite"
[ -f "$ref/node_modules/dynalite/cli.js" ] || (cd "$ref" && npm ci --no-audit --no-fund)
if [[ ",${BENCH_SERVERS:-cdnlab}," == *",cdnlab,"* ]]; then
  bin=${CDNLAB_BIN:-$root/build/cdnlab}
  [ -x "$bin" ] || { echo "ycsb: $bin not built (cmake --build build --target cdnlab)"; exit 1; }
fi
exec /usr/bin/python3 "$here/ycsb.py"
