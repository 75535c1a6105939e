#!/usr/bin/env bash
# Edge-function hit-path benchmark: two `cdnlab pop`s in front of one `cdnlab origin`, identical
# but for one native viewer-request function on the second (builtin:normalize-query, which parses
# the Lambda@Edge event, rewrites the query string and answers the request: the whole path, event
# JSON -> worker pool -> validate -> apply). The same wrk command hits both, alternating, ROUNDS
# rounds; the ratio of median requests/s (with / without) is the figure (target >= 0.9).
#
#   bash bench/edge-functions.sh                  # 10 s x 3 rounds
#   DURATION=3 ROUNDS=1 bash bench/edge-functions.sh   # smoke run
#   LAYOUT=shared bash bench/edge-functions.sh     # no pinning (default LAYOUT=pinned: each PoP,
#                                                  # loop and pool threads, on CPU 0, wrk on CPU 1;
#                                                  # why: bench/edge-functions-pops.sh)
#
# Every process started here is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32}
WORKERS=${WORKERS:-1}
FN_THREADS=${FN_THREADS:-1}
BUILD=${BUILD:-build}
BIN=${CDNLAB_BIN:-$PWD/$BUILD/cdnlab}
command -v wrk >/dev/null || bash scripts/setup.sh wrk

source bench/edge-functions-pops.sh

rps() { awk '/Requests\/sec/ {print $2}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
: > "$WORK/plain.rps"; : > "$WORK/withfn.rps"
for r in $(seq 1 "$ROUNDS"); do
  for side in plain withfn; do
    port=$PLAIN; [ "$side" = withfn ] && port=$WITHFN
    "${CLIENT_PIN[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$port$URL_PATH" > "$WORK/$side.$r.txt"
    rps < "$WORK/$side.$r.txt" >> "$WORK/$side.rps"
    echo "round $r $side: $(rps < "$WORK/$side.$r.txt") req/s, p50 $(awk '/ 50%/ {print $2}' "$WORK/$side.$r.txt"), p99 $(awk '/ 99%/ {print $2}' "$WORK/$side.$r.txt")"
  done
done
echo "layout: $LAYOUT (server CPUs ${SERVER_CPUS:-any}, wrk CPUs ${CLIENT_CPUS:-any}); load: $(uptime)"
P=$(median < "$WORK/plain.rps"); F=$(median < "$WORK/withfn.rps")
echo "median req/s: without function $P, with viewer-request function $F, ratio $(awk -v f="$F" -v p="$P" 'BEGIN {printf "%.2f", f/p}')"
