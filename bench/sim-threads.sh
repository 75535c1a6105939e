#!/usr/bin/env bash
# Scaling over threads: `cdnlab sim` replaying several (policy, size) pairs at once on the
# 10M-request Zipf trace of bench/sim-speed.sh, with --threads 1 and 2 alternately, median of N.
#   bench/sim-threads.sh [build dir] [runs] [policies] [sizes]
# Prints, per thread count, the replay phase's wall time (the process's wall time less the
# trace loading it reports), the pairs replayed per second (linear scaling = 2x at 2 threads on
# 2 free cores) and the pairs' mean replay rate in their own thread's CPU time, which stays the
# same at 2 threads when the threads do not slow each other down (shared caches, memory
# bandwidth, false sharing): what a loaded machine can still show. Also the process's user and
# system CPU seconds (bash's `time`, whole run including the trace load): with no shared state
# between the replays, user+sys stays the same at 2 threads and only the wall time drops.
set -euo pipefail
build=${1:-build}
runs=${2:-3}
policies=${3:-lru,fifo,sieve,s3fifo}
sizes=${4:-0.01,0.1}
bin=$build/cdnlab
trace=${SIM_TRACE:-/tmp/cdnlab-zipf-10M.oracleGeneral.bin}
[ -s "$trace" ] || "$bin" sim gen zipf --objects 1M --alpha 1.0 --requests 10M --size 1KiB..128KiB --seed 1 --out "$trace"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pairs=$(( $(tr ',' '\n' <<<"$policies" | wc -l) * $(tr ',' '\n' <<<"$sizes" | wc -l) ))
declare -A replay=() cpu=() usr=() sys=()
TIMEFORMAT='%U %S'
for _ in $(seq "$runs"); do
  for t in 1 2; do
    start=$(date +%s.%N)
    { times_=$( { time "$bin" sim --trace "$trace" --policy "$policies" --size "$sizes" --threads "$t" --no-progress \
      >/tmp/sim-threads.$$.out 2>&1; } 2>&1 ); } || { cat /tmp/sim-threads.$$.out >&2; exit 1; }
    end=$(date +%s.%N)
    out=$(cat /tmp/sim-threads.$$.out)
    usr[$t]+="${times_% *} "
    sys[$t]+="${times_#* } "
    load=$(sed -n 's/^loaded .* in \([0-9.]*\) s$/\1/p' <<<"$out")
    cpu[$t]+="$(awk '/^[a-z0-9-]+ +(obj|byte) / {s += $NF; n++} END {printf "%.2f", s / n}' <<<"$out") "
    replay[$t]+="$(awk -v s="$start" -v e="$end" -v l="$load" 'BEGIN {printf "%.2f", e - s - l}') "
  done
done
rm -f /tmp/sim-threads.$$.out
printf '%-8s %8s %22s %12s %24s %18s\n' threads pairs "replay wall s (median)" "pairs/s" "mean cpu Mreq/s per pair" "user / sys s"
for t in 1 2; do
  r=$(tr ' ' '\n' <<<"${replay[$t]}" | grep . | median)
  printf '%-8s %8s %22s %12s %24s %18s\n' "$t" "$pairs" "$r" "$(awk -v p="$pairs" -v r="$r" 'BEGIN {printf "%.2f", p / r}')" \
    "$(tr ' ' '\n' <<<"${cpu[$t]}" | grep . | median)" \
    "$(tr ' ' '\n' <<<"${usr[$t]}" | grep . | median) / $(tr ' ' '\n' <<<"${sys[$t]}" | grep . | median)"
done
