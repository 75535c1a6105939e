#!/usr/bin/env bash
# Hit-path benchmark (issue 2): the cdnlab PoP, Varnish and nginx proxy_cache side by side in one
# run, each in front of the same `cdnlab origin`, each with the same worker count, the same load
# client command against each (keep-alive, CONNS connections, 1 KiB and 64 KiB objects, DURATION,
# ROUNDS rounds alternating the servers), medians of requests/s and p50/p99, and the CPU each
# response cost the server (its whole process tree) and the client, from which the summary tells
# when the client's one thread, not the server, is the limit (see bench/hit_path_run.py).
#
# The client is bench/hit-load/hit_load.c (built here with cc): wrk -t1 costs 42-49 us of CPU per
# 64 KiB response, more than the servers it measures, so it capped them all at its own ceiling
# (bench/RESULTS.md, "64 KiB: who sets the ceiling"). CLIENTS="hit_load wrk" runs both clients
# against every server in the same rounds, to check that they agree where wrk is not the limit.
#
#   bash bench/hit-path.sh                 # full run: 10 s x 3 rounds x 2 sizes x 3 servers
#   DURATION=3 ROUNDS=1 bash bench/hit-path.sh   # smoke run
#   CLIENTS="hit_load wrk" SIZES=1KiB bash bench/hit-path.sh   # the two clients side by side
#   CLIENTS="hit_load /tmp/hit_load_old" bash bench/hit-path.sh  # this client vs another build of it
#   CDNLAB_BIN_OLD=/tmp/cdnlab-before bash bench/hit-path.sh     # adds that PoP build as cdnlab-old
#   LAYOUT=shared bash bench/hit-path.sh   # every server on all cores beside the client (the
#                                          # default, LAYOUT=pinned: one worker on CPU 0, client on CPU 1)
#   OPEN_LOOP_SHARE=0 bash bench/hit-path.sh                       # closed loop only
#
# After the closed-loop rounds of a size, every server is also driven as an open loop (hit_load
# -R, latency from each request's intended send time, so a stall is not hidden by coordinated
# omission) at OPEN_LOOP_SHARE (default 0.7) of nginx's closed-loop median req/s: the same
# offered load for every server, below saturation, so its p99 is tail latency, not queueing.
#
# Everything listens on 127.0.0.1 ephemeral-ish ports chosen below; every process started here is
# stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
# Layout, the same for every server. LAYOUT=pinned (the default on 2+ cores): each server runs
# one worker on CPU 0 and the load client runs on CPU 1, so req/s is what one core of each server
# does and the client never takes a server's CPU. LAYOUT=shared: every server runs $(nproc)
# workers on all cores beside the client; there req/s is 2 cores / (server + client CPU per
# response), so it says as much about the client as about the server (bench/RESULTS.md, "What
# limits the PoP on a quiet box"). WORKERS, SERVER_CPUS and CLIENT_CPUS override either.
LAYOUT=${LAYOUT:-pinned}
[ "$(nproc)" -ge 2 ] || LAYOUT=shared
case "$LAYOUT" in
  pinned) : "${WORKERS:=1}" "${SERVER_CPUS:=0}" "${CLIENT_CPUS:=1}" ;;
  shared) ;;
  *) echo "hit-path: LAYOUT must be pinned or shared, not '$LAYOUT'" >&2; exit 2 ;;
esac
WORKERS=${WORKERS:-$(nproc)}
CLIENT_THREADS=${CLIENT_THREADS:-${WRK_THREADS:-1}}
CLIENTS=${CLIENTS:-hit_load}
SIZES=${SIZES:-1KiB 64KiB}
BUILD=${BUILD:-build}
OPEN_LOOP_SHARE=${OPEN_LOOP_SHARE:-0.7}
# Optional CPU pinning (taskset lists), the same for every server: SERVER_CPUS for the servers
# (their workers inherit it), CLIENT_CPUS for the load client.
SERVER_PIN=() CLIENT_PIN=()
[ -z "${SERVER_CPUS:-}" ] || SERVER_PIN=(taskset -c "$SERVER_CPUS")
[ -z "${CLIENT_CPUS:-}" ] || CLIENT_PIN=(taskset -c "$CLIENT_CPUS")

bash scripts/setup.sh varnish nginx-light wrk
if [ -z "${CDNLAB_BIN:-}" ] && [ ! -x "$BUILD/cdnlab" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j"$(nproc)" --target cdnlab
fi
BIN=${CDNLAB_BIN:-$ROOT/$BUILD/cdnlab}

WORK=$(mktemp -d /tmp/cdnlab-hitpath.XXXXXX)
chmod 755 "$WORK"  # varnishd drops privileges and must read the VCL
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
cc -O2 -Wall -Wextra -Werror -pthread -o "$WORK/hit_load" bench/hit-load/hit_load.c

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {  # wait until $1 answers, at most 10 s
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "hit-path: $1 did not come up" >&2; return 1
}

# Starts the origin (objects of size $1), the PoP, Varnish and nginx; fills URL[].
declare -A URL SERVER_PID
start_all() {
PHASE_PIDS=()
# The origin: a catalog of a few objects of exactly SIZE bytes, cacheable for a day.
cat > "$WORK/catalog.yaml" <<YAML
catalog:
  objects: 4
  seed: 1
  size: {distribution: fixed, value: $1}
  cache_control:
    - {weight: 1, value: "public, max-age=86400"}
  uncacheable: {share: 0}
YAML
ORIGIN_PORT=$(free_port)
"$BIN" origin --catalog "$WORK/catalog.yaml" --listen 127.0.0.1:$ORIGIN_PORT --workers 1 > "$WORK/origin.log" 2>&1 &
PHASE_PIDS+=($!)
wait_http "http://127.0.0.1:$ORIGIN_PORT/obj/1"

# The cdnlab PoP.
POP_PORT=$(free_port)
"${SERVER_PIN[@]}" "$BIN" pop --upstream http://127.0.0.1:$ORIGIN_PORT --listen 127.0.0.1:$POP_PORT --capacity 256MiB \
  --workers "$WORKERS" --id bench > "$WORK/pop.log" 2>&1 &
PHASE_PIDS+=($!)
SERVER_PID[cdnlab]=$!
wait_http "http://127.0.0.1:$POP_PORT/obj/1"

# Another build of the PoP, side by side in the same rounds (CDNLAB_BIN_OLD), to show a change.
if [ -n "${CDNLAB_BIN_OLD:-}" ]; then
  OLD_PORT=$(free_port)
  "${SERVER_PIN[@]}" "$CDNLAB_BIN_OLD" pop --upstream http://127.0.0.1:$ORIGIN_PORT --listen 127.0.0.1:$OLD_PORT \
    --capacity 256MiB --workers "$WORKERS" --id bench-old > "$WORK/pop-old.log" 2>&1 &
  PHASE_PIDS+=($!)
  SERVER_PID[cdnlab-old]=$!
  wait_http "http://127.0.0.1:$OLD_PORT/obj/1"
  URL[cdnlab-old]="http://127.0.0.1:$OLD_PORT"
fi

# Varnish: default builtin VCL, malloc storage, WORKERS thread pools.
VARNISH_PORT=$(free_port)
cat > "$WORK/default.vcl" <<VCL
vcl 4.1;
backend origin { .host = "127.0.0.1"; .port = "$ORIGIN_PORT"; }
VCL
"${SERVER_PIN[@]}" varnishd -F -a 127.0.0.1:$VARNISH_PORT -f "$WORK/default.vcl" -s malloc,256m -n "$WORK/varnish" \
  -p thread_pools="$WORKERS" > "$WORK/varnish.log" 2>&1 &
PHASE_PIDS+=($!)
SERVER_PID[varnish]=$!
wait_http "http://127.0.0.1:$VARNISH_PORT/obj/1"

# nginx proxy_cache: WORKERS processes, keep-alive to the origin, cache in memory-backed tmp.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/cache" "$WORK/nginx/tmp"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes $WORKERS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  proxy_cache_path $WORK/nginx/cache levels=1:2 keys_zone=hot:64m max_size=256m inactive=1d use_temp_path=off;
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 32; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache hot;
      add_header X-Cache \$upstream_cache_status;
    }
  }
}
NGINX
"${SERVER_PIN[@]}" nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" > "$WORK/nginx.log" 2>&1 &
PHASE_PIDS+=($!)
SERVER_PID[nginx]=$!
wait_http "http://127.0.0.1:$NGINX_PORT/obj/1"

URL[cdnlab]="http://127.0.0.1:$POP_PORT"
URL[varnish]="http://127.0.0.1:$VARNISH_PORT"
URL[nginx]="http://127.0.0.1:$NGINX_PORT"
PIDS+=("${PHASE_PIDS[@]}")
}
stop_all() {
  for p in "${PHASE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PHASE_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK/nginx" "$WORK/varnish"
}
SERVERS=(cdnlab varnish nginx)
[ -z "${CDNLAB_BIN_OLD:-}" ] || SERVERS=(cdnlab cdnlab-old varnish nginx)

# One client run -> "rps p50_ms p99_ms errors server_us client_us client_cores late_share", or
# "FAILED <why>" when the client failed or printed something we cannot parse: that run is reported
# and left out, the benchmark goes on. The CPU columns (bench/hit_path_run.py) show when the
# client is the limit. RATE, when given, makes the run an open loop at that many req/s.
declare -A BODY_BYTES=([1KiB]=1024 [64KiB]=65536)
run_client() {  # CLIENT URL SERVER_PID SIZE [RATE]
  local client=$1
  [ "$client" = hit_load ] && client=$WORK/hit_load  # else wrk, or the path of another build
  [ "$client" = open-loop ] && client=$WORK/hit_load
  "${CLIENT_PIN[@]}" python3 bench/hit_path_run.py "$client" "$2" "$CLIENT_THREADS" "$CONNS" \
    "$DURATION" "$3" "${BODY_BYTES[$4]:-}" ${5:+"$5"}
}
record() {  # SIZE CLIENT SERVER ROUND LINE
  local line=$5
  if [[ $line == FAILED* || -z $line ]]; then
    echo "$1 $2 $3 $4 FAILED" >> "$RES"
    echo "round $4 $1 $2 $3: run failed (${line#FAILED }), left out of the medians" >&2
    return
  fi
  read -r rps p50 p99 errs server_us client_us client_cores late <<< "$line"
  echo "$1 $2 $3 $4 $rps $p50 $p99 $errs $server_us $client_us $client_cores $late" >> "$RES"
  echo "round $4 $1 $2 $3: $rps req/s p50 ${p50}ms p99 ${p99}ms errors $errs;" \
    "CPU per response: server ${server_us}us, client ${client_us}us (client busy ${client_cores}" \
    "cores)$([[ $2 == open@* ]] && echo "; share of requests sent >1 ms late: $late")" >&2
}

RES=$WORK/results.txt
: > "$RES"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)  # printed with the figures: a loaded machine's req/s mislead
for size in $SIZES; do
  start_all "$size"
  # Warm every cache: the second request must be a hit everywhere.
  for s in "${SERVERS[@]}"; do curl -fsS -o /dev/null "${URL[$s]}/obj/1"; curl -fsS -o /dev/null "${URL[$s]}/obj/1"; done
  # Show that each server answers from its cache (a miss-path run would compare nothing):
  # cdnlab and nginx say so in X-Cache, Varnish gives a hit two ids in X-Varnish.
  for s in "${SERVERS[@]}"; do
    echo "$size $s: $(curl -fsS -o /dev/null -D - "${URL[$s]}/obj/1" | grep -iE '^(x-cache|x-varnish):' | tr -d '\r' | tr '\n' ' ')" >&2
  done
  for round in $(seq 1 "$ROUNDS"); do
    for c in $CLIENTS; do
      for s in "${SERVERS[@]}"; do
        line=$(run_client "$c" "${URL[$s]}/obj/1" "${SERVER_PID[$s]}" "$size" || echo "FAILED run_client: $?")
        record "$size" "$c" "$s" "$round" "$line"
      done
    done
  done
  # The open loop: every server at the same offered rate, a share of nginx's closed-loop median
  # with the first client (hit_load unless CLIENTS says otherwise).
  rate=$(python3 - "$RES" "$size" "${CLIENTS%% *}" "$OPEN_LOOP_SHARE" <<'PY'
import statistics, sys
res, size, client, share = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
rps = [float(x[4]) for x in map(str.split, open(res))
       if x[:3] == [size, client, "nginx"] and x[4] != "FAILED"]
print(int(share * statistics.median(rps)) if rps and share > 0 else "")
PY
)
  if [ -n "$rate" ]; then
    for round in $(seq 1 "$ROUNDS"); do
      for s in "${SERVERS[@]}"; do
        line=$(run_client open-loop "${URL[$s]}/obj/1" "${SERVER_PID[$s]}" "$size" "$rate" ||
               echo "FAILED run_client: $?")
        record "$size" "open@$rate" "$s" "$round" "$line"
      done
    done
  elif [ "$OPEN_LOOP_SHARE" != 0 ]; then
    echo "$size: no successful nginx run to set the open loop's rate; open loop skipped" >&2
  fi
  stop_all
done

RUN_NOTES=", load average $LOAD_BEFORE before, $(cut -d' ' -f1 /proc/loadavg) after on $(nproc) cores"
[ -z "${SERVER_CPUS:-}${CLIENT_CPUS:-}" ] || RUN_NOTES+=", servers on CPU(s) ${SERVER_CPUS:-any}, client on ${CLIENT_CPUS:-any}"
python3 - "$RES" "$WORKERS" "$CONNS" "$DURATION" "$ROUNDS" "$CLIENT_THREADS" "$RUN_NOTES" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
workers, conns, dur, rounds, threads, notes = sys.argv[2:8]
print(f"\nhit path: -c{conns} -d{dur}s, {rounds} rounds (medians), {workers} worker(s) per server, "
      f"{threads} client thread(s){notes}")
print(f"{'object':8} {'client':8} {'server':10} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
      f"{'server us':>10} {'client us':>10} {'client cores':>12}")
for obj in dict.fromkeys(x[0] for x in rows):
    for client in dict.fromkeys(x[1] for x in rows if x[0] == obj):
        med = {}
        for s in ("cdnlab", "cdnlab-old", "varnish", "nginx"):
            if s == "cdnlab-old" and not any(x[2] == s for x in rows):
                continue
            mine = [x for x in rows if x[0] == obj and x[1] == client and x[2] == s]
            r = [x for x in mine if x[4] != "FAILED"]
            failed = len(mine) - len(r)
            note = f"  ({failed} failed run(s) left out)" if failed else ""
            if not r:
                print(f"{obj:8} {client:8} {s:10} {'no successful run':>28}{note}")
                continue
            med[s] = tuple(statistics.median(float(x[i]) for x in r) for i in (4, 5, 6, 8, 9, 10, 11))
            m = med[s]
            late = f"  (open loop: {m[6]:.1%} of requests sent >1 ms late)" if m[6] > 0 else ""
            print(f"{obj:8} {client:8} {s:10} {m[0]:10.0f} {m[1]:8.3f} {m[2]:8.3f} {m[3]:10.1f} "
                  f"{m[4]:10.1f} {m[5]:12.2f}{note}{late}")
        peers = [s for s in ("varnish", "nginx") if s in med]
        if client.startswith("open@"):
            # The same offered load for every server: the comparison is the tail, not req/s.
            if "cdnlab" in med and peers:
                print(f"{obj:8} {client:8} open loop at {client[5:]} req/s offered: p99 cdnlab "
                      f"{med['cdnlab'][2]:.3f} ms vs " +
                      ", ".join(f"{s} {med[s][2]:.3f}" for s in peers) + " ms")
            continue
        if "cdnlab" not in med or not peers:
            print(f"{obj:8} {client:8} no ratio: not enough successful runs")
            continue
        best = max(peers, key=lambda s: med[s][0])
        cpu = (f"; server CPU per response {med[best][3] / med['cdnlab'][3]:.2f}x less than {best}"
               if med["cdnlab"][3] > 0 else "")
        print(f"{obj:8} {client:8} ratio cdnlab/{best} = {med['cdnlab'][0] / med[best][0]:.2f}x req/s, "
              f"p99 {med['cdnlab'][2]:.3f} vs {med[best][2]:.3f} ms{cpu}")
        if "cdnlab" in med and "cdnlab-old" in med:
            new, old = med["cdnlab"], med["cdnlab-old"]
            print(f"{obj:8} {client:8} cdnlab/cdnlab-old = {new[0] / old[0]:.2f}x req/s, p99 {new[2]:.3f} vs "
                  f"{old[2]:.3f} ms, server CPU per response {new[3]:.1f} vs {old[3]:.1f} us")
        # The client has `threads` threads: that many cores busy means the figure is its ceiling.
        capped = [s for s in med if med[s][5] >= 0.9 * int(threads)]
        if capped:
            print(f"{obj:8} {client:8} client-bound: the client kept {threads} core(s) busy against "
                  f"{', '.join(capped)}; those req/s are the client's ceiling, not the server's")
PY
