#!/usr/bin/env bash
# The default demo's figures for bench/RESULTS.md: `cdnlab up` of the full stack (the embedded
# shop: store, Lambda, gateway, origin, shield, six edges, router, dashboard) timed N times, then
# one `cdnlab demo` with its JSON summarised: hit ratio per tier, origin offload, p50 / p99 per
# region for hits and misses, the Lambda and store tiers. Uses the default's fixed addresses and
# a private XDG_RUNTIME_DIR; run it under the shared lock:
#   flock /work/wt/.bench.lock bash bench/run/shop-demo.sh [ups=5] [demo duration=30s]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CDNLAB_BIN:-$PWD/build/cdnlab}
UPS=${1:-5}
DURATION=${2:-30s}
work=$(mktemp -d /tmp/cdnlab-shop-demo.XXXXXX)
export XDG_RUNTIME_DIR=$work
trap '"$BIN" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
uptime
echo "== up of the full stack, $UPS times (wall time of \`cdnlab up --detach\`, and what up reports)"
for i in $(seq "$UPS"); do
  t0=$(date +%s%N)
  out=$("$BIN" up --detach)
  t1=$(date +%s%N)
  echo "  up $i: $(( (t1 - t0) / 1000000 )) ms wall; $(grep -o '[0-9]* components ready in [0-9]* ms' <<<"$out"); $(grep -o '[0-9]* functions ([0-9]* native)' <<<"$out")"
  "$BIN" down >/dev/null
done
echo "== cdnlab demo --duration $DURATION"
"$BIN" demo --duration "$DURATION" --json "$work/demo.json" > "$work/demo.txt"
grep -A12 '^per tier' "$work/demo.txt"
/usr/bin/python3 - "$work/demo.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["tiers"]
pct = lambda v: f"{100 * v:.1f} %"
print(f"edge hit ratio {pct(t['edge']['hit_ratio'])}, shield hit ratio {pct(t['shield']['hit_ratio'])}, "
      f"client-side hit ratio {pct(d['total']['hit_ratio'])}")
if "offload" in d:
    o = d["offload"]
    print(f"origin offload: requests {pct(o['request_offload'])}, bytes {pct(o['byte_offload'])}")
print(f"errors: {d['total']['errors']} of {d['total']['requests']}")
print("region     hit p50   hit p99  miss p50  miss p99   (ms)")
for name, r in d["regions"].items():
    by = r["latency_ms_by_outcome"]
    cell = lambda o, p: f"{by[o][p]:8.1f}" if o in by else "       -"
    print(f"{name:9s} {cell('Hit', 'p50')}  {cell('Hit', 'p99')}  {cell('Miss', 'p50')}  {cell('Miss', 'p99')}")
PY
uptime
