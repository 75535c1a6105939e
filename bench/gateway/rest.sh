#!/usr/bin/env bash
# REST API (v1) costs (issue 11): wrk through `cdnlab gateway` to
#   rest-mock      a MOCK method whose request and response go through mapping templates
#   rest-getitem   a GetItem AWS integration on `cdnlab store` (request + response templates)
#   rest-cached    the same method with the stage cache on (every request after the first a hit)
# next to the same GetItem sent straight to the store (store-getitem), so the gateway's part of a
# DynamoDB-backed REST call, and what its cache saves, read side by side. Rounds alternate the
# targets; the table gives medians.
#
#   bash bench/gateway/rest.sh                      # 10 s x 3 rounds
#   DURATION=3 ROUNDS=1 bash bench/gateway/rest.sh  # smoke run
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
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1

WORK=$(mktemp -d /tmp/cdnlab-restbench.XXXXXX)
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
  echo "rest bench: $* did not come up" >&2; return 1
}

STORE_PORT=$(free_port)
"$BIN" store --listen 127.0.0.1:$STORE_PORT --in-memory > "$WORK/store.log" 2>&1 &
PIDS+=($!)
GW_PORT=$(free_port)
"$BIN" gateway --listen 127.0.0.1:$GW_PORT --data "$WORK/gw" --store-endpoint http://127.0.0.1:$STORE_PORT \
  --workers "$WORKERS" > "$WORK/gw.log" 2>&1 &
PIDS+=($!)
wait_http -X POST "http://127.0.0.1:$STORE_PORT/" -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
  -H 'Content-Type: application/x-amz-json-1.0' -d '{}'
wait_http "http://127.0.0.1:$GW_PORT/restapis"

python3 - "$STORE_PORT" "$GW_PORT" > "$WORK/api_id" <<'PY'
import sys, boto3
store, gw = (f"http://127.0.0.1:{p}" for p in sys.argv[1:3])
ddb = boto3.client("dynamodb", endpoint_url=store)
ddb.create_table(TableName="items", BillingMode="PAY_PER_REQUEST",
                 AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                 KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
ddb.put_item(TableName="items", Item={"id": {"S": "7"}, "name": {"S": "lamp"}, "price": {"N": "12.5"}})
doc = """swagger: "2.0"
info: {title: rest-bench}
paths:
  /mock/{id}:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default: {statusCode: "200", responseTemplates: {application/json: '{"id": "$input.params(''id'')", "stage": "$context.stage"}'}}
  /items/{id}:
    get:
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:dynamodb:action/GetItem
        cacheKeyParameters: [method.request.path.id]
        requestTemplates: {application/json: '{"TableName": "items", "Key": {"id": {"S": "$input.params(''id'')"}}}'}
        responses:
          default:
            statusCode: "200"
            responseTemplates: {application/json: '#set($i = $input.path(''$.Item''))
              {"id": "$i.id.S", "name": "$i.name.S", "price": $i.price.N}'}
"""
gwc = boto3.client("apigateway", endpoint_url=gw)
api = gwc.import_rest_api(body=doc.encode())["id"]
gwc.create_deployment(restApiId=api, stageName="plain")
gwc.create_deployment(restApiId=api, stageName="cached")
gwc.update_stage(restApiId=api, stageName="cached", patchOperations=[
    {"op": "replace", "path": "/cacheClusterEnabled", "value": "true"},
    {"op": "replace", "path": "/*/*/caching/enabled", "value": "true"}])
print(api)
PY
API_ID=$(cat "$WORK/api_id")
HOST="$API_ID.execute-api.localhost"
wait_http -H "Host: $HOST" "http://127.0.0.1:$GW_PORT/plain/items/7"
cat > "$WORK/getitem.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"TableName": "items", "Key": {"id": {"S": "7"}}}'
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
LUA

declare -A RPS P50 P99
run() {  # name url [host] [script]
  local out args=(-t1 -c"$CONNS" -d"${DURATION}s" --latency)
  [ -n "${3:-}" ] && args+=(-H "Host: $3")
  [ -n "${4:-}" ] && args+=(-s "$4")
  out=$(wrk "${args[@]}" "$2")
  if echo "$out" | grep -q "Non-2xx"; then echo "rest bench: $1 answered non-2xx:" >&2; echo "$out" >&2; exit 1; fi
  RPS[$1]+="$(echo "$out" | awk '/Requests\/sec/ {print $2}') "
  P50[$1]+="$(echo "$out" | awk '$1=="50%" {print $2}') "
  P99[$1]+="$(echo "$out" | awk '$1=="99%" {print $2}') "
}
for r in $(seq 1 "$ROUNDS"); do
  run store-getitem "http://127.0.0.1:$STORE_PORT/" "" "$WORK/getitem.lua"
  run rest-getitem "http://127.0.0.1:$GW_PORT/plain/items/7" "$HOST"
  run rest-cached "http://127.0.0.1:$GW_PORT/cached/items/7" "$HOST"
  run rest-mock "http://127.0.0.1:$GW_PORT/plain/mock/7" "$HOST"
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
for n in store-getitem rest-getitem rest-cached rest-mock; do
  echo "| $n | $(median rps "${RPS[$n]}") | $(median lat "${P50[$n]}") | $(median lat "${P99[$n]}") |"
done
echo "cache: $(curl -fsS "http://127.0.0.1:$GW_PORT/metrics" | grep -E '^cdnlab_gateway_cache_(hits|misses)_total' | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
