#!/usr/bin/env bash
# The simulator's lean index with and without huge pages, side by side in one run: `cdnlab sim`
# on the 10M-request Zipf trace of bench/sim-speed.sh, each policy alternately with
# CDNLAB_HUGE_PAGES=0 (4 KiB pages) and =1 (the index's arrays on 2 MiB pages), median of N.
#   bench/sim-huge-pages.sh [build dir] [runs] [policies]
# Prints replay Mreq/s (wall clock and the replay thread's CPU time) for each.
set -euo pipefail
build=${1:-build}
runs=${2:-3}
policies=${3:-lru,s3fifo}
bin=$build/cdnlab
trace=${SIM_TRACE:-/tmp/cdnlab-zipf-10M.oracleGeneral.bin}
[ -s "$trace" ] || "$bin" sim gen zipf --objects 1M --alpha 1.0 --requests 10M --size 1KiB..128KiB --seed 1 --out "$trace"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
IFS=, read -ra pols <<<"$policies"
printf '%-8s %-6s %14s %18s\n' policy huge "replay Mreq/s" "replay cpu Mreq/s"
for p in "${pols[@]}"; do
  declare -A wall=() cpu=()
  for _ in $(seq "$runs"); do
    for hp in 0 1; do
      line=$(CDNLAB_HUGE_PAGES=$hp "$bin" sim --trace "$trace" --policy "$p" --size 0.1 --no-progress 2>/dev/null | tail -1)
      wall[$hp]+="$(awk '{print $(NF-1)}' <<<"$line") "
      cpu[$hp]+="$(awk '{print $NF}' <<<"$line") "
    done
  done
  for hp in 0 1; do
    printf '%-8s %-6s %14s %18s\n' "$p" "$hp" "$(tr ' ' '\n' <<<"${wall[$hp]}" | grep . | median)" \
      "$(tr ' ' '\n' <<<"${cpu[$hp]}" | grep . | median)"
  done
  unset wall cpu
done
