# shellcheck shell=bash
# What the bench scripts share to run `cdnlab` servers (and the peers they compare with): a work
# directory, servers in the background with their logs in it, each waited for by a readiness
# check, and a cleanup on exit that stops every process started here by its PID and removes the
# work directory. Sourced, not run:
#
#   . bench/lib/servers.sh
#   bench_init NAME                      # WORK=/tmp/cdnlab-NAME.XXXXXX; NAME prefixes error messages
#   write_catalog FILE OBJECTS SIZE      # an origin catalog: OBJECTS objects of SIZE, cacheable a day
#   start_listening VAR NAME COMMAND...  # a server told --listen 127.0.0.1:0: VAR=the URL it prints
#   start_server NAME COMMAND...         # any process; PID in PID_OF[NAME], log in $WORK/NAME.log
#   free_port; wait_http CURL-ARGS...    # for a server that must be given its port
#
# start_listening reads the port the server chose from its "listening http URL" line, printed once
# it accepts connections: no port picked in advance that another process could take meanwhile.

PIDS=()
declare -gA PID_OF

bench_cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "${WORK:-}" ]; then rm -rf "$WORK"; fi
}

bench_init() {  # NAME: the work directory's prefix and the name in error messages
  BENCH_NAME=$1
  WORK=$(mktemp -d "/tmp/cdnlab-$1.XXXXXX")
  trap bench_cleanup EXIT
}

write_catalog() {  # FILE OBJECTS SIZE: `cdnlab origin --catalog FILE` serves /obj/0 .. /obj/OBJECTS-1
  cat > "$1" <<YAML
catalog:
  objects: $2
  seed: 1
  size: {distribution: fixed, value: $3}
  cache_control:
    - {weight: 1, value: "public, max-age=86400"}
  uncacheable: {share: 0}
YAML
}

start_server() {  # NAME COMMAND...: runs it in the background, its log in $WORK/NAME.log
  local name=$1
  shift
  "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  PID_OF[$name]=$!
}

start_listening() {  # VAR NAME COMMAND...: start_server, then VAR=its URL once it listens (at most 10 s)
  local var=$1 name=$2 url=""
  shift 2
  start_server "$name" "$@"
  for _ in $(seq 1 200); do
    url=$(sed -n 's/^listening http \(https\{0,1\}:[^ ]*\).*/\1/p' "$WORK/$name.log" | head -1)
    [ -n "$url" ] && break
    kill -0 "${PID_OF[$name]}" 2>/dev/null || break  # it exited: its log says why
    sleep 0.05
  done
  if [ -z "$url" ]; then
    echo "$BENCH_NAME: $name did not come up:" >&2
    cat "$WORK/$name.log" >&2
    return 1
  fi
  printf -v "$var" '%s' "$url"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() {  # curl arguments: until they get a 2xx, at most 10 s
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$@" 2>/dev/null && return 0; sleep 0.1; done
  echo "$BENCH_NAME: $* did not come up" >&2
  return 1
}
