#!/usr/bin/env bash
# Throttles and errors in the first seconds of a run, side by side: the shop as it ships
# (provisioned concurrency on its functions, started by `up` in the background; `cdnlab load`
# waits for READY) and the same shop with its functions on demand (provisioned_concurrency
# removed, the API calling the unqualified functions). Each round: `cdnlab up --detach`, then at
# once `cdnlab load --warmup 0s` for DURATION at the shop's rate, then `down`. Reports per run
# the Lambda throttles and client errors in the first 5 s and in all, the cold starts, and the
# wall time of `up`; then the medians. The shop runs on a random 127.0.X.0 block of its own
# (tests/e2e/shop_topology.py) with a private XDG_RUNTIME_DIR. Under the shared lock:
#   flock /work/wt/.bench.lock bash bench/run/first-seconds.sh [rounds=3] [duration=10s]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CDNLAB_BIN:-$PWD/build/cdnlab}
ROUNDS=${1:-3}
DURATION=${2:-10s}
work=$(mktemp -d /tmp/cdnlab-first-seconds.XXXXXX)
export XDG_RUNTIME_DIR=$work/xdg
mkdir -p "$XDG_RUNTIME_DIR"
current=""
trap '[ -n "$current" ] && "$BIN" down "$current" >/dev/null 2>&1; rm -rf "$work"' EXIT

# Two copies of the shop on one address block: "provisioned" as shipped, "on-demand" without.
/usr/bin/python3 - "$work" <<'PY'
import os, re, sys
sys.path.insert(0, "tests/e2e")
from shop_topology import make_shop
work = sys.argv[1]
for variant in ("provisioned", "on-demand"):
    d = os.path.join(work, variant)
    os.makedirs(d)
    path, _ = make_shop(d, latency=True)
    if variant == "on-demand":
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(re.sub(r"\n\s*provisioned_concurrency: \d+", "", text))
        api = os.path.join(d, "shop", "openapi.yaml")
        with open(api) as f:
            text = f.read()
        with open(api, "w") as f:
            f.write(text.replace(":live\n", "\n"))
PY

summarise() {  # variant json up_ms
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
variant, path, up_ms = sys.argv[1], sys.argv[2], sys.argv[3]
d = json.load(open(path))
lam = d["tiers"]["lambda"]
series = lam["series"]
first = lambda name: sum(v for t, v in series[name] if t <= 5)
errors5 = sum(s["errors"] for s in d["series"] if s["second"] < 5)
print(f"{variant:12s} up {up_ms:>5s} ms  throttles first 5 s {first('throttles'):5.0f}  all {lam['throttles']:5.0f}  "
      f"client errors first 5 s {errors5:5d}  all {d['total']['errors']:5d} of {d['total']['requests']:5d}  "
      f"cold starts {lam['cold_starts']:3.0f}  "
      f"5xx at the gateway {d['tiers']['gateway']['5xx']:5.0f}")
PY
}

uptime
for round in $(seq "$ROUNDS"); do
  for variant in on-demand provisioned; do
    topo=$work/$variant/shop.yaml
    t0=$(date +%s%N)
    "$BIN" up "$topo" --detach > "$work/up.txt"
    t1=$(date +%s%N)
    current=$topo
    "$BIN" load "$topo" --duration "$DURATION" --warmup 0s --seed "$round" --json "$work/run.json" > "$work/load.txt" 2>&1 || true
    "$BIN" down "$topo" > /dev/null
    current=""
    echo -n "round $round  "
    summarise "$variant" "$work/run.json" "$(( (t1 - t0) / 1000000 ))" | tee -a "$work/summary.txt"
  done
done
echo "== medians over $ROUNDS rounds"
/usr/bin/python3 - "$work/summary.txt" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    variant = line.split()[0]
    # Every figure but the "5" of "first 5 s" and of "5xx".
    nums = [float(x) for x in re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.]| s\b)", line.split(None, 1)[1])]
    rows.setdefault(variant, []).append(nums)
names = ["up ms", "throttles first 5 s", "throttles all", "client errors first 5 s", "client errors all", "requests",
         "cold starts", "gateway 5xx"]
for variant, runs in rows.items():
    med = [statistics.median(col) for col in zip(*runs)]
    print(f"{variant:12s} " + ", ".join(f"{n} {v:.0f}" for n, v in zip(names, med)))
PY
uptime
