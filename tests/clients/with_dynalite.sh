#!/usr/bin/env bash
# Runs a command against a fresh in-memory dynalite (the reference emulator the suites are
# validated on first): `tests/clients/with_dynalite.sh /usr/bin/python3 tests/clients/boto3_suite.py`.
# dynalite comes from tests/clients/dynalite's lock file (`npm ci` there). Its CLI treats `--port 0` as
# "default 4567", so a free port is picked here. DDB_ENDPOINT and DDB_TARGET=dynalite are exported
# for the command; dynalite is stopped by its PID afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ref="$root/tests/clients/dynalite"
[ -f "$ref/node_modules/dynalite/cli.js" ] || (cd "$ref" && npm ci --no-audit --no-fund >/dev/null)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
# Short CREATING/DELETING/UPDATING phases keep the status transitions visible but the suites quick.
node "$ref/node_modules/dynalite/cli.js" --host 127.0.0.1 --port "$port" \
  --createTableMs 50 --deleteTableMs 50 --updateTableMs 50 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 200); do
  grep -q "listening at" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.05
done
grep -q "listening at" "$log" || { echo "dynalite did not start"; cat "$log"; exit 1; }
export DDB_ENDPOINT="http://127.0.0.1:$port" DDB_TARGET=dynalite
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-AKIDEXAMPLE} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-secret}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_REGION=${AWS_REGION:-us-east-1}
"$@"
