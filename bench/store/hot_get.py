#!/usr/bin/python3
"""GetItem of one hot item against the HTTP layer's own ceiling, side by side on one store process.

The store answers `GET /` with its health line straight from the HTTP binding (no JSON, no
engine): that is the ceiling of the HTTP layer it shares with the PoP. A GetItem of one ~1 KiB
item (always in the item cache) adds the request's parse, validation, lookup and answer. Both run
through wrk (2 threads, 32 connections) against the same server, alternating, ROUNDS times;
medians of requests/s and of store CPU per request.

  flock /work/wt/.bench.lock /usr/bin/python3 bench/store/hot_get.py
Environment: BENCH_DURATION (s, default 8), HOT_ROUNDS (3), CDNLAB_BIN (default build/cdnlab).
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

os.environ.setdefault("BENCH_DURATION", "8")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ycsb  # noqa: E402

ROUNDS = int(os.environ.get("HOT_ROUNDS", "3"))
GET_ITEM_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
wrk.body = '{"TableName":"usertable","Key":{"id":{"S":"user000000001"}}}'
"""


def run(server, lua):
    cpu0 = server.cpu_seconds()
    argv = ["wrk", "-t2", "-c32", f"-d{ycsb.DURATION}s", "--timeout", "5s"]
    if lua:
        argv += ["-s", lua]
    argv.append(f"http://127.0.0.1:{server.port}/")
    out = subprocess.run(argv, capture_output=True, text=True, timeout=ycsb.DURATION + 60)
    cpu = server.cpu_seconds() - cpu0
    m = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    total = re.search(r"(\d+) requests in", out.stdout)
    if out.returncode != 0 or not m or not total or "Non-2xx" in out.stdout:
        raise RuntimeError(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    return float(m.group(1)), cpu / int(total.group(1)) * 1e6


def main():
    with tempfile.TemporaryDirectory(prefix="cdnlab-hot-get-") as work:
        lua = os.path.join(work, "getitem.lua")
        with open(lua, "w") as f:
            f.write(GET_ITEM_LUA)
        server = ycsb.start_server("cdnlab", work)
        try:
            os.environ["BENCH_RECORDS"] = "2"
            ycsb.RECORDS = 2
            ycsb.load(server)
            results = {"health GET /": [], "GetItem (hot)": []}
            for rnd in range(ROUNDS):
                for name, script in (("health GET /", None), ("GetItem (hot)", lua)):
                    rps, us = run(server, script)
                    results[name].append((rps, us))
                    print(f"round {rnd + 1} {name}: {rps:,.0f} req/s, {us:.1f} us store CPU per request", flush=True)
            for name, rs in results.items():
                print(f"median {name}: {statistics.median(r[0] for r in rs):,.0f} req/s, "
                      f"{statistics.median(r[1] for r in rs):.1f} us store CPU per request")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
