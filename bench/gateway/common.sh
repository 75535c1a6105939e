# What the gateway benchmarks (bench/gateway/*.sh) share: settings from the environment, a work
# directory and the servers' cleanup, ports and readiness, one wrk run per target with the
# servers' CPU time per request, and the table of medians. Sourced, not run:
#
#   . "$(dirname "$0")/common.sh"; bench_init NAME
#   PORT=$(free_port); start_server NAME "$BIN" origin ...; wait_http URL
#   run_target TARGET "PID..." URL [wrk options...]   # once per round
#   print_table TARGET...
#
# CPU µs per request (user + system time of the named server processes over the run, from
# /proc/PID/stat, divided by the requests wrk completed) is the figure that a loaded machine
# distorts least: it says what a request costs the servers, not how long they waited for a core.
# The same for wrk (getrusage of the child) says whether the client is the limit: when "wrk
# cores busy" nears WRK_THREADS, req/s is wrk's ceiling, not the server's.

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-1}
WORKERS=${WORKERS:-$(nproc)}
BUILD=${BUILD:-build}
BIN=${CDNLAB_BIN:-$ROOT/$BUILD/cdnlab}
command -v wrk >/dev/null || bash scripts/setup.sh wrk
CLK_TCK=$(getconf CLK_TCK)

. bench/lib/servers.sh  # bench_init, start_server, free_port, wait_http: the work directory and the servers
declare -A RPS P50 P99 CPU_US WRK_US WRK_CORES

cpu_ticks() {  # PID...: utime + stime summed, in clock ticks
  local total=0 p f
  for p in "$@"; do
    read -ra f < "/proc/$p/stat"
    # Fields 14 and 15 (utime, stime); the command name (field 2) has no spaces here.
    total=$((total + f[13] + f[14]))
  done
  echo "$total"
}

run_wrk() {  # wrk arguments: wrk's report, then "client_cpu_s S" (wrk's user + system seconds)
  python3 - "$@" <<'PY'
import resource, subprocess, sys
p = subprocess.run(["wrk", *sys.argv[1:]], capture_output=True, text=True)
sys.stdout.write(p.stdout + p.stderr)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"client_cpu_s {r.ru_utime + r.ru_stime:.3f}")
sys.exit(p.returncode)
PY
}

run_target() {  # TARGET "PID..." URL [wrk options...]: one wrk run, its figures kept for the table
  local name=$1 pids=$2 url=$3 out before after requests client_s
  shift 3
  # shellcheck disable=SC2086 # the PID list splits on purpose
  before=$(cpu_ticks $pids)
  out=$(run_wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$@" "$url")
  # shellcheck disable=SC2086
  after=$(cpu_ticks $pids)
  if echo "$out" | grep -q "Non-2xx"; then
    echo "$BENCH_NAME: $name answered non-2xx:" >&2
    echo "$out" >&2
    exit 1
  fi
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  RPS[$name]+="$(echo "$out" | awk '/Requests\/sec/ {print $2}') "
  P50[$name]+="$(echo "$out" | awk '$1=="50%" {print $2}') "
  P99[$name]+="$(echo "$out" | awk '$1=="99%" {print $2}') "
  CPU_US[$name]+="$(python3 -c "print(f'{($after - $before) * 1e6 / $CLK_TCK / max($requests, 1):.1f}')") "
  client_s=$(echo "$out" | awk '/^client_cpu_s/ {print $2}')
  WRK_US[$name]+="$(python3 -c "print(f'{$client_s * 1e6 / max($requests, 1):.1f}')") "
  WRK_CORES[$name]+="$(python3 -c "print(f'{$client_s / $DURATION:.2f}')") "
}

median() {  # rps|lat|cpu "VALUES": the median; latencies as wrk prints them, in µs
  python3 - "$@" <<'PY'
import re, statistics, sys
def us(v):
    m = re.match(r"([0-9.]+)(us|ms|s)?$", v)
    return float(m.group(1)) * {"us": 1, "ms": 1000, "s": 1e6, None: 1}[m.group(2)]
vals = sys.argv[2].split()
if sys.argv[1] == "rps":
    print(f"{statistics.median(float(v) for v in vals):.0f}")
elif sys.argv[1] == "cpu":
    print(f"{statistics.median(float(v) for v in vals):.1f}")
elif sys.argv[1] == "cores":
    print(f"{statistics.median(float(v) for v in vals):.2f}")
else:
    print(f"{statistics.median(us(v) for v in vals):.0f}")
PY
}

print_table() {  # TARGET...: medians over the rounds
  echo "wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s --latency, $ROUNDS round(s), $WORKERS worker(s) per server, medians"
  echo "| target | req/s | p50 µs | p99 µs | server CPU µs/request | wrk CPU µs/request | wrk cores busy |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  local n
  for n in "$@"; do
    echo "| $n | $(median rps "${RPS[$n]}") | $(median lat "${P50[$n]}") | $(median lat "${P99[$n]}") | $(median cpu "${CPU_US[$n]}") | $(median cpu "${WRK_US[$n]}") | $(median cores "${WRK_CORES[$n]}") |"
  done
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
