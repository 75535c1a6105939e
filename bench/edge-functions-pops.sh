# Sourced by bench/edge-functions.sh and bench/edge-functions-cpu.sh: one `cdnlab origin` (4
# objects of 1 KiB, cacheable for a day) and two `cdnlab pop`s in front of it, identical but for
# one native viewer-request function on the second (builtin:normalize-query). Sets PLAIN / WITHFN
# (ports), PLAIN_PID / WITHFN_PID, URL_PATH and WORK; every process started here is stopped by PID
# on exit. Reads BIN, WORKERS (default 1), FN_THREADS (default 1).
WORK=$(mktemp -d /tmp/cdnlab-edgefn.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "edge-functions: $1 did not come up" >&2; return 1
}

cat > "$WORK/catalog.yaml" <<YAML
catalog:
  objects: 4
  seed: 1
  size: {distribution: fixed, value: 1KiB}
  cache_control:
    - {weight: 1, value: "public, max-age=86400"}
  uncacheable: {share: 0}
YAML
ORIGIN=$(free_port); PLAIN=$(free_port); WITHFN=$(free_port)
"$BIN" origin --catalog "$WORK/catalog.yaml" --listen 127.0.0.1:$ORIGIN --workers 1 > "$WORK/origin.log" 2>&1 &
PIDS+=($!)
"$BIN" pop --upstream http://127.0.0.1:$ORIGIN --listen 127.0.0.1:$PLAIN --workers "${WORKERS:-1}" --id plain > "$WORK/plain.log" 2>&1 &
PIDS+=($!); PLAIN_PID=$!
"$BIN" pop --upstream http://127.0.0.1:$ORIGIN --listen 127.0.0.1:$WITHFN --workers "${WORKERS:-1}" --id withfn \
  --edge-function-threads "${FN_THREADS:-1}" --edge-function viewer-request=builtin:normalize-query > "$WORK/withfn.log" 2>&1 &
PIDS+=($!); WITHFN_PID=$!
URL_PATH="/obj/1?b=2&a=1"
for port in $PLAIN $WITHFN; do wait_http "http://127.0.0.1:$port$URL_PATH"; curl -fsS -o /dev/null "http://127.0.0.1:$port$URL_PATH"; done
