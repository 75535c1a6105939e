# Sourced by bench/edge-functions.sh and bench/edge-functions-cpu.sh: one `cdnlab origin` (4
# objects of 1 KiB, cacheable for a day) and two `cdnlab pop`s in front of it, identical but for
# one native viewer-request function on the second (builtin:normalize-query). Sets PLAIN / WITHFN
# (ports), PLAIN_PID / WITHFN_PID, ORIGIN (port), URL_PATH and WORK; every process started here
# is stopped by PID on exit (bench/lib/servers.sh, whose free_port / wait_http / start_server the
# callers use too). Reads BIN, WORKERS (default 1), FN_THREADS (default 1), LAYOUT.
#
# LAYOUT=pinned (the default on 2+ cores, as in bench/hit-path.sh): every server process - the
# PoP's event loop AND its function pool's threads - runs on CPU 0 (SERVER_CPUS) and wrk on CPU 1
# (CLIENT_CPUS), the same for both PoPs. Then req/s is what one core of the PoP does, i.e. the
# PoP's own CPU per request, which is what the hand-off to the pool costs; with the cores shared,
# wrk, the loop and the pool thread take turns on two cores and req/s says as much about the
# scheduler as about the PoP. LAYOUT=shared: no pinning (the layout of the runs before the
# eighth). SERVER_PIN / CLIENT_PIN (taskset commands, or empty) are set here for the callers.
LAYOUT=${LAYOUT:-pinned}
[ "$(nproc)" -ge 2 ] || LAYOUT=shared
case "$LAYOUT" in
  pinned) : "${SERVER_CPUS:=0}" "${CLIENT_CPUS:=1}" ;;
  shared) ;;
  *) echo "edge-functions: LAYOUT must be pinned or shared, not '$LAYOUT'" >&2; exit 2 ;;
esac
SERVER_PIN=() CLIENT_PIN=()
[ -z "${SERVER_CPUS:-}" ] || SERVER_PIN=(taskset -c "$SERVER_CPUS")
[ -z "${CLIENT_CPUS:-}" ] || CLIENT_PIN=(taskset -c "$CLIENT_CPUS")
. bench/lib/servers.sh
bench_init edgefn
write_catalog "$WORK/catalog.yaml" 4 1KiB
start_listening ORIGIN_URL origin "${SERVER_PIN[@]}" "$BIN" origin --catalog "$WORK/catalog.yaml" --listen 127.0.0.1:0 --workers 1
start_listening PLAIN_URL plain "${SERVER_PIN[@]}" "$BIN" pop --upstream "$ORIGIN_URL" --listen 127.0.0.1:0 --workers "${WORKERS:-1}" --id plain
start_listening WITHFN_URL withfn "${SERVER_PIN[@]}" "$BIN" pop --upstream "$ORIGIN_URL" --listen 127.0.0.1:0 --workers "${WORKERS:-1}" \
  --id withfn --edge-function-threads "${FN_THREADS:-1}" --edge-function viewer-request=builtin:normalize-query
ORIGIN=${ORIGIN_URL##*:}; PLAIN=${PLAIN_URL##*:}; WITHFN=${WITHFN_URL##*:}
PLAIN_PID=${PID_OF[plain]}; WITHFN_PID=${PID_OF[withfn]}
URL_PATH="/obj/1?b=2&a=1"
for port in $PLAIN $WITHFN; do curl -fsS -o /dev/null "http://127.0.0.1:$port$URL_PATH"; done  # warm: later requests hit
