#!/usr/bin/env bash
# Simulator speed: `cdnlab sim` requests per second, one thread, on a 10M-request Zipf trace
# (1M objects, alpha 1.0, sizes 1KiB..128KiB) for each policy, median of N runs.
#   bench/sim-speed.sh [build dir] [runs] [policies]
# Prints one line per policy: replay Mreq/s (the loop alone, wall clock and the thread's CPU
# time, which stays meaningful on a shared machine) and end-to-end Mreq/s (including loading
# and renumbering the trace). If libCacheSim's `cachesim` is on PATH it runs the same
# file side by side, alternating with ours (cachesim <trace> oracleGeneral <algo> 0.1
# --ignore-obj-size 1 --num-thread 1): its end-to-end Mreq/s (wall clock, including its
# working-set pass over the trace) and the replay Mreq/s it prints itself ("... MQPS").
set -euo pipefail
build=${1:-build}
runs=${2:-3}
policies=${3:-lru,s3fifo,fifo,clock,sieve,lfu,slru,2q,arc}
lcs_name() {  # cdnlab policy -> cachesim algorithm
  case $1 in 2q) echo twoq ;; belady-size) echo beladySize ;; *) echo "$1" ;; esac
}
bin=$build/cdnlab
trace=${SIM_TRACE:-/tmp/cdnlab-zipf-10M.oracleGeneral.bin}
[ -s "$trace" ] || "$bin" sim gen zipf --objects 1M --alpha 1.0 --requests 10M --size 1KiB..128KiB --seed 1 --out "$trace"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
IFS=, read -ra pols <<<"$policies"
printf '%-11s %14s %18s %18s %20s %22s\n' policy "replay Mreq/s" "replay cpu Mreq/s" "end-to-end Mreq/s" \
  "cachesim e2e Mreq/s" "cachesim replay Mreq/s"
for p in "${pols[@]}"; do
  replay=(); cpu=(); e2e=(); lcs=(); lcsr=()
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    line=$("$bin" sim --trace "$trace" --policy "$p" --size 0.1 --no-progress 2>/dev/null | tail -1)
    end=$(date +%s.%N)
    replay+=("$(awk '{print $(NF-1)}' <<<"$line")"); cpu+=("$(awk '{print $NF}' <<<"$line")")
    e2e+=("$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", 10 / (e - s)}')")
    if command -v cachesim >/dev/null; then
      start=$(date +%s.%N)
      out=$(cachesim "$trace" oracleGeneral "$(lcs_name "$p")" 0.1 --ignore-obj-size 1 --num-thread 1 2>/dev/null || true)
      end=$(date +%s.%N)
      lcs+=("$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", 10 / (e - s)}')")
      lcsr+=("$( (grep -o '[0-9.]* MQPS' <<<"$out" || true) | head -1 | awk '{print $1}')")
    fi
  done
  printf '%-11s %14s %18s %18s %20s %22s\n' "$p" "$(printf '%s\n' "${replay[@]}" | median)" \
    "$(printf '%s\n' "${cpu[@]}" | median)" \
    "$(printf '%s\n' "${e2e[@]}" | median)" "$( [ ${#lcs[@]} -gt 0 ] && printf '%s\n' "${lcs[@]}" | median || echo n/a)" \
    "$( [ ${#lcsr[@]} -gt 0 ] && printf '%s\n' "${lcsr[@]}" | median || echo n/a)"
done
