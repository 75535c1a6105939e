#!/usr/bin/env bash
# Gateway overhead (issue 11): the same wrk run at
#   origin          `cdnlab origin` straight (a 13-byte object: the same HTTP stack, no gateway)
#   pop-hit         a `cdnlab pop` cache hit on that object (the PoP's hit path, for comparison)
#   gateway-mock    a MOCK route of `cdnlab gateway` answering 13 bytes (the gateway's own ceiling)
#   gateway-proxy   an HTTP_PROXY route in front of the origin
#   lambda-direct   the native `echo` function's Invoke API on `cdnlab lambda`, POSTing the very
#                   event the gateway sends it
#   gateway-lambda  an AWS_PROXY route (payload 2.0) to that function
#   gateway-mock-tls  the MOCK route on a second gateway with --tls-cert (https://, keep-alive:
#                   one handshake per connection, then the TLS record layer per request)
# The gateway's added p50 is (gateway-proxy - origin) and (gateway-lambda - lambda-direct); the
# CPU column is what each request costs the servers involved. Rounds alternate the targets; the
# table gives medians.
#
#   bash bench/gateway/overhead.sh                      # 10 s x 3 rounds
#   DURATION=3 ROUNDS=1 bash bench/gateway/overhead.sh  # smoke run
#   CONNS=1 bash bench/gateway/overhead.sh              # one connection: per-request latency
#   TARGETS="pop-hit gateway-mock" bash bench/gateway/overhead.sh   # only these targets
#   WRK_THREADS=2 bash bench/gateway/overhead.sh        # wrk with two threads
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$ROOT/bench/gateway/mock_api.sh"
bench_init gwbench

write_catalog "$WORK/catalog.yaml" 4 13
ORIGIN_PORT=$(free_port)
start_server origin "$BIN" origin --catalog "$WORK/catalog.yaml" --listen 127.0.0.1:$ORIGIN_PORT --workers "$WORKERS"
wait_http "http://127.0.0.1:$ORIGIN_PORT/obj/1"

POP_PORT=$(free_port)
start_server pop "$BIN" pop --upstream http://127.0.0.1:$ORIGIN_PORT --listen 127.0.0.1:$POP_PORT --capacity 64MiB \
  --workers "$WORKERS" --id bench
wait_http "http://127.0.0.1:$POP_PORT/obj/1"
curl -fsS -o /dev/null -D "$WORK/pop.head" "http://127.0.0.1:$POP_PORT/obj/1"
grep -qi '^x-cache: hit' "$WORK/pop.head" || { echo "gwbench: the PoP did not answer a hit" >&2; cat "$WORK/pop.head" >&2; exit 1; }

LAMBDA_PORT=$(free_port)
start_server lambda "$BIN" lambda --listen 127.0.0.1:$LAMBDA_PORT --in-memory
python3 - "$LAMBDA_PORT" <<'PY'
import base64, http.client, io, json, sys, time, zipfile
port = int(sys.argv[1])
for _ in range(100):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/2015-03-31/functions")
        c.getresponse().read()
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("gwbench: cdnlab lambda did not come up")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("README", "built-in echo")
body = json.dumps({"FunctionName": "echo-fn", "Runtime": "cdnlab-native", "Handler": "echo",
                   "Role": "arn:aws:iam::123456789012:role/bench",
                   "Code": {"ZipFile": base64.b64encode(buf.getvalue()).decode()}})
c.request("POST", "/2015-03-31/functions", body=body, headers={"Content-Type": "application/json"})
r = c.getresponse()
if r.status >= 300:
    sys.exit(f"gwbench: CreateFunction answered {r.status}: {r.read()[:300]!r}")
PY

{
  mock_ping_openapi
  cat <<YAML
  /obj/{id}:
    get:
      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: "http://127.0.0.1:$ORIGIN_PORT/obj/{id}"}
  /fn:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:lambda:us-east-1:123456789012:function:echo-fn
        payloadFormatVersion: "2.0"
YAML
} > "$WORK/api.yaml"
GW_PORT=$(free_port)
start_server gateway "$BIN" gateway --listen 127.0.0.1:$GW_PORT --data "$WORK/gw" --api "$WORK/api.yaml" \
  --lambda-endpoint http://127.0.0.1:$LAMBDA_PORT --workers "$WORKERS"
wait_http "http://127.0.0.1:$GW_PORT/v2/apis"
API_ID=$(curl -fsS "http://127.0.0.1:$GW_PORT/v2/apis" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["apiId"])')
HOST="$API_ID.execute-api.localhost"
wait_http -H "Host: $HOST" "http://127.0.0.1:$GW_PORT/ping"
wait_http -H "Host: $HOST" "http://127.0.0.1:$GW_PORT/obj/1"
# The echo function answers with its event, so this body is exactly what the gateway POSTs.
curl -fsS -H "Host: $HOST" -o "$WORK/event.json" "http://127.0.0.1:$GW_PORT/fn"
python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert e["version"]=="2.0" and e["routeKey"]=="GET /fn", e' "$WORK/event.json"
# The same API on a TLS gateway (a certificate made here, for this run only).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -keyout "$WORK/tls.key" \
  -out "$WORK/tls.crt" -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
TLS_PORT=$(free_port)
start_server gateway-tls "$BIN" gateway --listen 127.0.0.1:$TLS_PORT --data "" --api "$WORK/api.yaml" \
  --tls-cert "$WORK/tls.crt" --tls-key "$WORK/tls.key" --lambda-endpoint http://127.0.0.1:$LAMBDA_PORT --workers "$WORKERS"
wait_http --cacert "$WORK/tls.crt" "https://127.0.0.1:$TLS_PORT/v2/apis"
TLS_API_ID=$(curl -fsS --cacert "$WORK/tls.crt" "https://127.0.0.1:$TLS_PORT/v2/apis" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["apiId"])')
TLS_HOST="$TLS_API_ID.execute-api.localhost"
wait_http --cacert "$WORK/tls.crt" -H "Host: $TLS_HOST" "https://127.0.0.1:$TLS_PORT/ping"

cat > "$WORK/invoke.lua" <<LUA
local f = io.open("$WORK/event.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

G=${PID_OF[gateway]} O=${PID_OF[origin]} L=${PID_OF[lambda]} P=${PID_OF[pop]} T=${PID_OF[gateway-tls]}
TARGETS=${TARGETS:-origin pop-hit gateway-mock gateway-proxy lambda-direct gateway-lambda gateway-mock-tls}
maybe_run() {  # run_target for the targets in TARGETS only
  [[ " $TARGETS " == *" $1 "* ]] || return 0
  run_target "$@"
}
for _ in $(seq 1 "$ROUNDS"); do
  maybe_run origin "$O" "http://127.0.0.1:$ORIGIN_PORT/obj/1"
  maybe_run pop-hit "$P" "http://127.0.0.1:$POP_PORT/obj/1"
  maybe_run gateway-mock "$G" "http://127.0.0.1:$GW_PORT/ping" -H "Host: $HOST"
  maybe_run gateway-proxy "$G $O" "http://127.0.0.1:$GW_PORT/obj/1" -H "Host: $HOST"
  maybe_run lambda-direct "$L" "http://127.0.0.1:$LAMBDA_PORT/2015-03-31/functions/echo-fn/invocations" -s "$WORK/invoke.lua"
  maybe_run gateway-lambda "$G $L" "http://127.0.0.1:$GW_PORT/fn" -H "Host: $HOST"
  maybe_run gateway-mock-tls "$T" "https://127.0.0.1:$TLS_PORT/ping" -H "Host: $TLS_HOST"
done
# shellcheck disable=SC2086 # the list splits on purpose
print_table $TARGETS
