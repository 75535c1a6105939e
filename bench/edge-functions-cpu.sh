#!/usr/bin/env bash
# Where an edge function's cost goes on the PoP: the same setup as bench/edge-functions.sh (two
# `cdnlab pop`s, 1 worker each, in front of one origin; the second runs
# builtin:normalize-query at viewer-request), but instead of req/s it reports, per request and
# per thread of each PoP (the event loop, the function pool's thread), the CPU time, voluntary
# and involuntary context switches (from /proc/PID/task/*/{stat,status} before and after each
# wrk run) and system calls (perf stat -e raw_syscalls:sys_enter on the PoP). These move far
# less with the machine's load than req/s does, so OLD and NEW binaries compare on a busy box:
#
#   bash bench/edge-functions-cpu.sh                        # 5 s x 3 rounds
#   CDNLAB_BIN=/tmp/old-cdnlab bash bench/edge-functions-cpu.sh
#   PROFILE=/tmp/prof bash bench/edge-functions-cpu.sh      # also perf record -g each PoP's run
#   EVENTS=raw_syscalls:sys_enter,probe_libc:malloc bash bench/edge-functions-cpu.sh
#       # also mallocs per request (after: perf probe -x /lib/x86_64-linux-gnu/libc.so.6 malloc;
#       # the probe slows every malloc, so read CPU from a run without it)
#   OLD_BIN=/tmp/old-cdnlab bash bench/edge-functions-cpu.sh
#       # a third PoP, the same function on the OLD binary, measured in the same rounds ("oldfn")
#   LAYOUT=shared bash bench/edge-functions-cpu.sh        # no pinning (default: pinned, see
#                                                         # bench/edge-functions-pops.sh)
#
# Every process started here is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32}
FN_THREADS=${FN_THREADS:-1}
BIN=${CDNLAB_BIN:-$PWD/build/cdnlab}
command -v wrk >/dev/null || bash scripts/setup.sh wrk

source bench/edge-functions-pops.sh
SIDES="plain withfn"
if [ -n "${OLD_BIN:-}" ]; then
  OLDFN=$(free_port)
  "${SERVER_PIN[@]}" "$OLD_BIN" pop --upstream http://127.0.0.1:$ORIGIN --listen 127.0.0.1:$OLDFN --workers 1 --id oldfn \
    --edge-function-threads "$FN_THREADS" --edge-function viewer-request=builtin:normalize-query > "$WORK/oldfn.log" 2>&1 &
  PIDS+=($!); OLDFN_PID=$!
  wait_http "http://127.0.0.1:$OLDFN$URL_PATH"
  SIDES="plain oldfn withfn"
fi

# "TID NAME UTIME+STIME(ticks) VOLUNTARY NONVOLUNTARY" per thread of PID.
snapshot() {
  for t in /proc/$1/task/*; do
    [ -r "$t/stat" ] || continue
    local name ticks vol nonvol
    name=$(cat "$t/comm" | tr ' ' '_')
    ticks=$(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}')
    vol=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")
    nonvol=$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "$t/status")
    echo "${t##*/} $name $ticks $vol $nonvol"
  done
}
HZ=$(getconf CLK_TCK)
echo "layout: $LAYOUT (server CPUs ${SERVER_CPUS:-any}, wrk CPUs ${CLIENT_CPUS:-any}); load: $(uptime)"
for r in $(seq 1 "$ROUNDS"); do
  for side in $SIDES; do
    case $side in
      plain) port=$PLAIN; pid=$PLAIN_PID ;;
      withfn) port=$WITHFN; pid=$WITHFN_PID ;;
      oldfn) port=$OLDFN; pid=$OLDFN_PID ;;
    esac
    snapshot "$pid" | sort > "$WORK/before"
    perf stat -x, -e "${EVENTS:-raw_syscalls:sys_enter}" -p "$pid" -o "$WORK/perf" -- sleep "$DURATION" &
    perfpid=$!
    recpid=
    if [ -n "${PROFILE:-}" ]; then
      mkdir -p "$PROFILE"
      perf record -q -g -p "$pid" -o "$PROFILE/$side.$r.perf" -- sleep "$DURATION" 2>/dev/null &
      recpid=$!
    fi
    "${CLIENT_PIN[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$port$URL_PATH" > "$WORK/wrk"
    wait "$perfpid" || true
    [ -n "$recpid" ] && { wait "$recpid" || true; }
    snapshot "$pid" | sort > "$WORK/after"
    reqs=$(awk '/requests in/ {print $1}' "$WORK/wrk")
    rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk")
    counted=$(awk -F, -v n="$reqs" '$3 ~ /:/ {printf "%s %.2f/req, ", $3, $1 / n}' "$WORK/perf")
    # Threads that used CPU during the run, by name: cpu us, voluntary, involuntary per request.
    join "$WORK/before" "$WORK/after" | awk -v n="$reqs" -v hz="$HZ" -v side="$side" -v r="$r" -v rps="$rps" -v counted="$counted" '
      { cpu = ($7 - $3) * 1e6 / hz / n; vol = ($8 - $4) / n; inv = ($9 - $5) / n
        if ($7 - $3 > 0) line = line sprintf("  %s[%s]: cpu %.2f us, vcs %.3f, ics %.3f;", $2, $1, cpu, vol, inv); total += cpu }
      END { printf "round %s %-6s %s req/s, %sprocess cpu %.2f us/req;%s\n", r, side, rps, counted, total, line }'
  done
done
