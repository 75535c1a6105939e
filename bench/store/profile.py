#!/usr/bin/python3
"""Where the store's CPU goes under the YCSB-like load, and before/after comparisons of two builds.

Uses ycsb.py's own server start, load and wrk run (same items, same workload.lua), on fewer items
and shorter runs, so a profile takes a minute. Run it under the shared benchmark lock:

  flock /work/wt/.bench.lock /usr/bin/python3 bench/store/profile.py
      perf record -g of the store during YCSB-B and YCSB-A (uniform keys); prints ops/s, ops per
      store CPU-second and perf's top symbols per workload (data kept in $PROFILE_DIR, default /tmp)
  flock /work/wt/.bench.lock /usr/bin/python3 bench/store/profile.py --compare OLD_BIN NEW_BIN
      no perf: the two binaries alternate for PROFILE_ROUNDS rounds (default 2); medians per workload

Environment: BENCH_RECORDS (default 20000), BENCH_DURATION (s, default 8), as in ycsb.py.
"""
import os
import statistics
import subprocess
import sys
import tempfile

os.environ.setdefault("BENCH_RECORDS", "20000")
os.environ.setdefault("BENCH_DURATION", "8")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ycsb  # noqa: E402

WORKLOADS = [("B", 95), ("A", 50)]


def serve(binary):
    ycsb.CDNLAB_BIN = binary
    server = ycsb.start_server("cdnlab", tempfile.mkdtemp(prefix="cdnlab-store-profile-"))
    ycsb.load(server)
    return server


def profile(binary, out_dir):
    server = serve(binary)
    try:
        for name, read_pct in WORKLOADS:
            data = os.path.join(out_dir, f"store-perf-{name}.data")
            # perf samples for a bounded time inside the wrk run (which lasts BENCH_DURATION).
            perf = subprocess.Popen(["perf", "record", "-g", "-F", "999", "-p", str(server.proc.pid), "-o", data,
                                     "--", "sleep", str(max(1, ycsb.DURATION - 2))],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            r = ycsb.run_client(server, read_pct, "uniform")
            perf.wait(timeout=ycsb.DURATION + 60)
            print(f"YCSB-{name}: {r['ops']:,.0f} ops/s, {r['ops_per_cpu_s']:,.0f} ops per store CPU-second "
                  f"({1e6 / r['ops_per_cpu_s']:.0f} us/op), p99 {r['p99_ms']:.1f} ms", flush=True)
            report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol",
                                     "--stdio", "-g", "none"], capture_output=True, text=True, timeout=300)
            lines = [ln for ln in report.stdout.splitlines() if "%" in ln and not ln.startswith("#")]
            for ln in lines[:30]:
                print("   ", " ".join(ln.split())[:140])
    finally:
        server.stop()


def compare(binaries, rounds):
    runs = {}
    for rnd in range(rounds):
        for binary in binaries:
            server = serve(binary)
            try:
                for name, read_pct in WORKLOADS:
                    r = ycsb.run_client(server, read_pct, "uniform")
                    runs.setdefault((binary, name), []).append(r)
                    print(f"round {rnd + 1} {binary} YCSB-{name}: {r['ops']:,.0f} ops/s, "
                          f"{r['ops_per_cpu_s']:,.0f} ops/CPU-s", flush=True)
            finally:
                server.stop()
    for (binary, name), rs in sorted(runs.items()):
        print(f"median {binary} YCSB-{name}: {statistics.median(r['ops'] for r in rs):,.0f} ops/s, "
              f"{statistics.median(r['ops_per_cpu_s'] for r in rs):,.0f} ops per CPU-second")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        compare(sys.argv[2:], int(os.environ.get("PROFILE_ROUNDS", "2")))
    elif len(sys.argv) == 1:
        profile(ycsb.CDNLAB_BIN, os.environ.get("PROFILE_DIR", tempfile.gettempdir()))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
