#!/usr/bin/env bash
# The load generator alone against a PoP serving hits of one 1 KiB object, side by side with
# wrk on the same PoP (issue 3: `cdnlab load` must drive at least 0.8x wrk's rate, so that it
# is never the bottleneck of a measurement). Both use one thread, a closed loop and CONNS
# keep-alive connections; DURATION seconds per run, ROUNDS rounds alternating the two, medians.
#
#   bash bench/loadgen-vs-wrk.sh                       # 10 s x 3 rounds
#   DURATION=3 ROUNDS=3 bash bench/loadgen-vs-wrk.sh   # short run
#
# Every process started here is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
BUILD=${BUILD:-build}

command -v wrk >/dev/null || bash scripts/setup.sh wrk
if [ ! -x "$BUILD/cdnlab" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j2 --target cdnlab
fi
BIN=$ROOT/$BUILD/cdnlab

. bench/lib/servers.sh
bench_init loadgen-vs-wrk
write_catalog "$WORK/catalog.yaml" 1 1KiB
start_listening ORIGIN origin "$BIN" origin --catalog "$WORK/catalog.yaml" --listen 127.0.0.1:0 --workers 1
start_listening POP pop "$BIN" pop --upstream "$ORIGIN" --listen 127.0.0.1:0 --capacity 64MiB --workers 1 --id bench
URL="$POP/obj/0"
curl -fsS -o /dev/null "$URL"  # warm: every later request is a hit
echo "PoP $URL (1 KiB hit), $CONNS connections, one thread each, ${DURATION}s x $ROUNDS rounds"

run_wrk() {
  wrk -t1 -c"$CONNS" -d"${DURATION}s" "$URL" | awk '/^Requests\/sec:/ {print $2}'
}
run_load() {
  "$BIN" load --target "$URL" --closed --connections "$CONNS" --threads 1 --duration "${DURATION}s" \
    --warmup 0s --no-latency --seed 1 --json "$WORK/load.json" > "$WORK/load.out"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d["total"]; print("%.1f %d" % (t["requests"]/d["run"]["duration_s"], t["errors"]))' "$WORK/load.json"
}

WRK=(); LOAD=()
for r in $(seq 1 "$ROUNDS"); do
  w=$(run_wrk); read -r l errs < <(run_load)
  echo "  round $r: wrk $w req/s   cdnlab load $l req/s (errors $errs)"
  WRK+=("$w"); LOAD+=("$l")
done
python3 - "${WRK[*]}" "${LOAD[*]}" <<'PY'
import statistics, sys
wrk = [float(x) for x in sys.argv[1].split()]
load = [float(x) for x in sys.argv[2].split()]
mw, ml = statistics.median(wrk), statistics.median(load)
print(f"median: wrk {mw:.0f} req/s, cdnlab load {ml:.0f} req/s, ratio load/wrk {ml / mw:.2f}x (target >= 0.8x)")
PY
