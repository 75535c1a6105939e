# Sourced by bench/edge-functions.sh and bench/edge-functions-cpu.sh: one `cdnlab origin` (4
# objects of 1 KiB, cacheable for a day) and two `cdnlab pop`s in front of it, identical but for
# one native viewer-request function on the second (builtin:normalize-query). Sets PLAIN / WITHFN
# (ports), PLAIN_PID / WITHFN_PID, ORIGIN (port), URL_PATH and WORK; every process started here
# is stopped by PID on exit (bench/lib/servers.sh, whose free_port / wait_http / start_server the
# callers use too). Reads BIN, WORKERS (default 1), FN_THREADS (default 1).
. bench/lib/servers.sh
bench_init edgefn
write_catalog "$WORK/catalog.yaml" 4 1KiB
start_listening ORIGIN_URL origin "$BIN" origin --catalog "$WORK/catalog.yaml" --listen 127.0.0.1:0 --workers 1
start_listening PLAIN_URL plain "$BIN" pop --upstream "$ORIGIN_URL" --listen 127.0.0.1:0 --workers "${WORKERS:-1}" --id plain
start_listening WITHFN_URL withfn "$BIN" pop --upstream "$ORIGIN_URL" --listen 127.0.0.1:0 --workers "${WORKERS:-1}" \
  --id withfn --edge-function-threads "${FN_THREADS:-1}" --edge-function viewer-request=builtin:normalize-query
ORIGIN=${ORIGIN_URL##*:}; PLAIN=${PLAIN_URL##*:}; WITHFN=${WITHFN_URL##*:}
PLAIN_PID=${PID_OF[plain]}; WITHFN_PID=${PID_OF[withfn]}
URL_PATH="/obj/1?b=2&a=1"
for port in $PLAIN $WITHFN; do curl -fsS -o /dev/null "http://127.0.0.1:$port$URL_PATH"; done  # warm: later requests hit
