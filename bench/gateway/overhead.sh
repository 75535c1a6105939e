#!/usr/bin/env bash
# Gateway overhead (issue 11): wrk through `cdnlab gateway` to a MOCK route and to an HTTP_PROXY
# route in front of `cdnlab origin`, next to the same wrk run straight at that origin (same HTTP
# stack, a 13-byte body like the mock's). The gateway's added p50 is (proxy route p50 - origin
# p50); the MOCK route shows the gateway's own ceiling (no upstream hop). Rounds alternate the
# targets; the table gives medians.
#
#   bash bench/gateway/overhead.sh                      # 10 s x 3 rounds
#   DURATION=3 ROUNDS=1 bash bench/gateway/overhead.sh  # smoke run
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
WORKERS=${WORKERS:-$(nproc)}
BUILD=${BUILD:-build}
command -v wrk >/dev/null || bash scripts/setup.sh wrk
BIN=${CDNLAB_BIN:-$ROOT/$BUILD/cdnlab}

WORK=$(mktemp -d /tmp/cdnlab-gwbench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$@" 2>/dev/null && return 0; sleep 0.1; done
  echo "overhead: $* did not come up" >&2; return 1
}

cat > "$WORK/catalog.yaml" <<YAML
catalog:
  objects: 4
  seed: 1
  size: {distribution: fixed, value: 13}
  cache_control:
    - {weight: 1, value: "public, max-age=86400"}
  uncacheable: {share: 0}
YAML
ORIGIN_PORT=$(free_port)
"$BIN" origin --catalog "$WORK/catalog.yaml" --listen 127.0.0.1:$ORIGIN_PORT --workers "$WORKERS" > "$WORK/origin.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$ORIGIN_PORT/obj/1"

cat > "$WORK/api.yaml" <<YAML
openapi: 3.0.1
info: {title: bench}
paths:
  /ping:
    get:
      x-amazon-apigateway-integration:
        type: mock
        responses: {default: {statusCode: "200", responseTemplates: {application/json: '{"pong":true}'}}}
  /obj/{id}:
    get:
      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: "http://127.0.0.1:$ORIGIN_PORT/obj/{id}"}
YAML
GW_PORT=$(free_port)
"$BIN" gateway --listen 127.0.0.1:$GW_PORT --data "$WORK/gw" --api "$WORK/api.yaml" --workers "$WORKERS" > "$WORK/gw.log" 2>&1 &
PIDS+=($!)
API_ID=$(for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$GW_PORT/v2/apis" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["apiId"])' 2>/dev/null && break
  sleep 0.1
done)
HOST="$API_ID.execute-api.localhost"
wait_http -H "Host: $HOST" "http://127.0.0.1:$GW_PORT/ping"
wait_http -H "Host: $HOST" "http://127.0.0.1:$GW_PORT/obj/1"

declare -A RPS P50 P99
run() {  # name url [host]
  local out
  if [ -n "${3:-}" ]; then out=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -H "Host: $3" "$2")
  else out=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "$2"); fi
  RPS[$1]+="$(echo "$out" | awk '/Requests\/sec/ {print $2}') "
  P50[$1]+="$(echo "$out" | awk '$1=="50%" {print $2}') "
  P99[$1]+="$(echo "$out" | awk '$1=="99%" {print $2}') "
}
for r in $(seq 1 "$ROUNDS"); do
  run origin "http://127.0.0.1:$ORIGIN_PORT/obj/1"
  run gateway-mock "http://127.0.0.1:$GW_PORT/ping" "$HOST"
  run gateway-proxy "http://127.0.0.1:$GW_PORT/obj/1" "$HOST"
done
median() { python3 - "$@" <<'PY'
import re, statistics, sys
def us(v):
    m = re.match(r"([0-9.]+)(us|ms|s)?$", v)
    x = float(m.group(1)); u = m.group(2) or ""
    return x * {"us": 1, "ms": 1000, "s": 1e6, "": 1}[u]
vals = sys.argv[2].split()
if sys.argv[1] == "rps":
    print(f"{statistics.median(float(v) for v in vals):.0f}")
else:
    print(f"{statistics.median(us(v) for v in vals):.0f}")
PY
}
echo "| target | req/s | p50 µs | p99 µs |"
echo "|---|---:|---:|---:|"
for n in origin gateway-mock gateway-proxy; do
  echo "| $n | $(median rps "${RPS[$n]}") | $(median lat "${P50[$n]}") | $(median lat "${P99[$n]}") |"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
