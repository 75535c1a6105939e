#!/usr/bin/python3
"""The floor under one HTTP request on this machine: CPU per request of a server that does no work.

The lean YCSB client (ycsb_client.c, READ_PCT -1: every request is `GET /`) drives, alternating,
nginx answering `return 200` from memory, the store's `GET /` health line (the HTTP layer alone:
no JSON, no engine) and, for scale, the store's GetItem of a warm ~1 KiB item. Per request it
reports the server's CPU (utime+stime from /proc) and the client's (getrusage). On a 2-core machine
client and server share the cores, so ops/s <= 2 / (client + server CPU per request) for every
server: what is left of that budget for an operation's own work is what a throughput target can
ask of it. Run it under the shared benchmark lock:

  flock /work/wt/.bench.lock /usr/bin/python3 bench/store/http_floor.py
Environment: BENCH_DURATION (s, default 8), FLOOR_ROUNDS (3), BENCH_RECORDS (20000), CDNLAB_BIN.
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("BENCH_DURATION", "8")
os.environ.setdefault("BENCH_RECORDS", "20000")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ycsb  # noqa: E402

ROUNDS = int(os.environ.get("FLOOR_ROUNDS", "3"))
TICK = os.sysconf("SC_CLK_TCK")


class Nginx:
    """nginx with two workers (one per core, as the store's two workers) and `return 200`."""

    def __init__(self):
        if not shutil.which("nginx"):
            sys.exit("http_floor: nginx not installed (bash scripts/setup.sh nginx-light)")
        self.dir = tempfile.mkdtemp(prefix="http-floor-nginx-")
        self.port = ycsb.free_port()
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(f"worker_processes 2; daemon off; pid {self.dir}/nginx.pid; error_log {self.dir}/error.log;\n"
                    "events { worker_connections 1024; }\n"
                    f"http {{ access_log off; keepalive_requests 100000000; server {{ listen 127.0.0.1:{self.port};\n"
                    '  location / { default_type text/plain; return 200 "healthy"; } } }\n')
        self.proc = subprocess.Popen(["nginx", "-c", os.path.join(self.dir, "nginx.conf"), "-p", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(500):  # readiness: the port accepts (bounded: 10 s)
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.02)
        self.stop()
        sys.exit(f"http_floor: nginx did not start (see {self.dir}/error.log)")

    def cpu_seconds(self):
        pids = [self.proc.pid] + [int(p) for p in open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read().split()]
        total = 0
        for pid in pids:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / TICK

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    store = ycsb.start_server("cdnlab", tempfile.mkdtemp(prefix="http-floor-store-"))
    nginx = None
    runs = {}
    try:
        ycsb.load(store)
        ycsb.run_client(store, 100, "uniform")  # warm-up, not measured
        nginx = Nginx()
        cases = [("nginx, return 200", nginx, -1), ("store, GET / (HTTP layer only)", store, -1),
                 ("store, GetItem (warm item)", store, 100)]
        for rnd in range(1, ROUNDS + 1):
            for name, server, read_pct in cases:
                r = ycsb.run_client(server, read_pct, "uniform")
                runs.setdefault(name, []).append(r)
                ycsb.log(f"round {rnd} {name}: {r['ops']:,.0f} req/s, server {1e6 / r['ops_per_cpu_s']:.1f} us/req, "
                         f"client {r['client_us_per_op']:.1f} us/req, errors {r['errors']}")
    finally:
        store.stop()
        if nginx:
            nginx.stop()
    print(f"\nmedians of {ROUNDS} rounds ({ycsb.DURATION} s each), CPU per request:")
    for name, rs in runs.items():
        server = statistics.median(1e6 / r["ops_per_cpu_s"] for r in rs)
        client = statistics.median(r["client_us_per_op"] for r in rs)
        print(f"  {name:32s} server {server:5.1f} us  client {client:5.1f} us  "
              f"(2 cores / both: <= {2e6 / (server + client):,.0f} req/s)  req/s {statistics.median(r['ops'] for r in rs):,.0f}")


if __name__ == "__main__":
    main()
