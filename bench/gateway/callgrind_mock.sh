#!/usr/bin/env bash
# User-space instructions per MOCK request in `cdnlab gateway` (issue 11), a figure the machine's
# load does not move: the gateway with one worker under callgrind, 200 keep-alive warm-up requests,
# then the counters zeroed, N requests (Python http.client on one connection, each answer checked),
# and the instructions divided by N. Compare builds with it:
#
#   bash bench/gateway/callgrind_mock.sh [BIN] [N]     # defaults: build/cdnlab, 2000
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-build/cdnlab}
N=${2:-2000}
command -v valgrind >/dev/null || { echo "callgrind_mock: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
W=$(mktemp -d /tmp/cdnlab-gwcg.XXXXXX)
VP=
cleanup() { [ -n "$VP" ] && kill "$VP" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
. bench/gateway/mock_api.sh
mock_ping_openapi > "$W/api.yaml"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --callgrind-out-file="$W/cg.out" "$BIN" gateway --listen 127.0.0.1:$PORT --data "" \
  --api "$W/api.yaml" --workers 1 > "$W/log" 2>&1 &
VP=$!
for _ in $(seq 1 300); do curl -fsS -o /dev/null http://127.0.0.1:$PORT/v2/apis 2>/dev/null && break; sleep 0.2; done
API=$(curl -fsS http://127.0.0.1:$PORT/v2/apis | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["apiId"])')
requests() {  # COUNT keep-alive requests to the MOCK route, each answer checked
  python3 - "$PORT" "$API" "$1" <<'PY'
import http.client, sys
port, api, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
for _ in range(n):
    c.request("GET", "/ping", headers={"Host": f"{api}.execute-api.localhost"})
    r = c.getresponse()
    body = r.read()
    assert r.status == 200 and body == b'{"pong":true}', (r.status, body)
PY
}
requests 200
callgrind_control -z "$VP" >/dev/null 2>&1
requests "$N"
callgrind_control -d "$VP" >/dev/null 2>&1
kill "$VP"
wait "$VP" || true
VP=
OUT=$(ls "$W"/cg.out.* | sort | tail -1)
TOTAL=$(callgrind_annotate "$OUT" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "$BIN: $TOTAL instructions for $N MOCK requests = $((TOTAL / N)) per request"
