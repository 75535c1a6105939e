#!/usr/bin/python3
"""YCSB-like benchmark of DynamoDB-compatible servers over HTTP: cdnlab's store and dynalite.

Called by ycsb.sh (which installs wrk and dynalite first). For each server: start it on loopback,
create a table, load RECORDS items of ten 100-byte fields (about 1 KiB each) with BatchWriteItem,
then, after an unmeasured warm-up of each server (WARMUP seconds of workload B over uniform keys:
caches filled, the load's compactions and a JIT settled, so that every server is measured in its
steady state, as YCSB's own runs discard their warm-up), run workload A (50% GetItem / 50%
UpdateItem) and B (95/5) with uniform and Zipf keys through
one client (32 keep-alive connections) - the lean C client ycsb_client.c (built with cc on first
use), or wrk with workload.lua when BENCH_CLIENT=wrk - ROUNDS times, alternating between servers run by run so that
background load on the shared machine hits all of them alike. Reported per (server, workload):
medians over rounds of ops/s, p50 / p99 latency, and ops per server CPU-second (utime+stime of
the server process from /proc/<pid>/stat, before and after each run), the client's own CPU per
operation (its utime+stime from getrusage: on a 2-core machine the client competes with the
server, so its cost bounds ops/s for every server alike), plus resident memory per item after the
load (RSS growth during the load / RECORDS).

Environment: BENCH_DURATION (s, default 20), BENCH_ROUNDS (3), BENCH_RECORDS (100000),
BENCH_WARMUP (s, default BENCH_DURATION; 0: none),
BENCH_CONNECTIONS (32), BENCH_THREADS (client threads, 2), BENCH_SERVERS (comma list of
cdnlab,dynalite-mem,dynalite-disk; default all), CDNLAB_BIN (default build/cdnlab),
BENCH_OUT (results markdown, default bench/store/RESULTS-store.md), BENCH_SYNC (batch), BENCH_CLIENT
(lean or wrk).
"""
import atexit
import concurrent.futures
import http.client
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DURATION = int(os.environ.get("BENCH_DURATION", "20"))
WARMUP = int(os.environ.get("BENCH_WARMUP", str(DURATION)))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "100000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
SERVERS = os.environ.get("BENCH_SERVERS", "cdnlab,dynalite-mem,dynalite-disk").split(",")
CDNLAB_BIN = os.environ.get("CDNLAB_BIN", os.path.join(ROOT, "build", "cdnlab"))
SYNC = os.environ.get("BENCH_SYNC", "batch")
CLIENT = os.environ.get("BENCH_CLIENT", "lean")
_lean_client = []  # the built ycsb_client, once


def lean_client():
    if not _lean_client:
        where = tempfile.mkdtemp(prefix="ycsb-client-")
        atexit.register(shutil.rmtree, where, True)
        out = os.path.join(where, "ycsb_client")
        subprocess.run(["cc", "-O2", "-Wall", "-o", out, os.path.join(HERE, "ycsb_client.c"), "-lpthread", "-lm"],
                       check=True)
        _lean_client.append(out)
    return _lean_client[0]
OUT = os.environ.get("BENCH_OUT", os.path.join(HERE, "RESULTS-store.md"))
TABLE = "usertable"
WORKLOADS = [("A", 50, "uniform"), ("A", 50, "zipf"), ("B", 95, "uniform"), ("B", 95, "zipf")]
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64)


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process we started, addressed by PID only."""

    def __init__(self, name, argv, ready_re, port=None, cwd=None):
        self.name = name
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     cwd=cwd, start_new_session=True)
        self.lines = []
        self.port = port
        ready = threading.Event()

        def reader():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip())
                m = re.search(ready_re, line)
                if m and not ready.is_set():
                    if m.groups():
                        self.port = int(m.group(1))
                    ready.set()
        threading.Thread(target=reader, daemon=True).start()
        if not ready.wait(30) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError(f"{name} did not start:\n" + "\n".join(self.lines[-20:]))

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # fields[0] is state (field 3); utime and stime are fields 14 and 15.
        return (int(fields[11]) + int(fields[12])) / TICK

    def rss_bytes(self):
        with open(f"/proc/{self.proc.pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def start_server(kind, workdir):
    if kind == "cdnlab":
        data = os.path.join(workdir, "cdnlab-data")
        return Server(kind, [CDNLAB_BIN, "store", "--listen", "127.0.0.1:0", "--data", data, "--sync", SYNC],
                      r"^listening http http://127\.0\.0\.1:(\d+)")
    dynalite = os.path.join(ROOT, "tests", "clients", "dynalite", "node_modules", "dynalite", "cli.js")
    port = free_port()  # dynalite's CLI turns --port 0 into its default 4567
    argv = ["node", dynalite, "--host", "127.0.0.1", "--port", str(port), "--createTableMs", "0",
            "--deleteTableMs", "0", "--updateTableMs", "0"]
    if kind == "dynalite-disk":
        argv += ["--path", os.path.join(workdir, "dynalite-data")]
    elif kind != "dynalite-mem":
        raise ValueError(f"unknown server {kind}")
    return Server(kind, argv, r"listening at", port=port)


def call(conn, op, body):
    payload = json.dumps(body)
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"DynamoDB_20120810.{op}",
               "X-Amz-Date": "20250101T000000Z", "Authorization": AUTH}
    try:
        conn.request("POST", "/", payload, headers)
        r = conn.getresponse()
    except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
        # The server closed an idle keep-alive connection (dynalite does after 5 s): reconnect once.
        conn.close()
        conn.request("POST", "/", payload, headers)
        r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise RuntimeError(f"{op}: HTTP {r.status}: {data[:300]!r}")
    return json.loads(data)


def load(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    call(conn, "CreateTable", {
        "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})
    for _ in range(600):
        if call(conn, "DescribeTable", {"TableName": TABLE})["Table"]["TableStatus"] == "ACTIVE":
            break
        time.sleep(0.05)
    rss_before = server.rss_bytes()
    fill = "x" * 92

    def batch(start):
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        reqs = {TABLE: [{"PutRequest": {"Item": dict(
            {"id": {"S": f"user{k:09d}"}},
            **{f"field{f}": {"S": f"{k:08d}{fill}"} for f in range(10)})}}
            for k in range(start, min(start + 25, RECORDS))]}
        for _ in range(100):
            left = call(c, "BatchWriteItem", {"RequestItems": reqs}).get("UnprocessedItems") or {}
            if not left:
                c.close()
                return
            reqs = left
            time.sleep(0.01)
        raise RuntimeError("BatchWriteItem kept returning UnprocessedItems")

    t0 = time.monotonic()
    cpu0 = server.cpu_seconds()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for f in pool.map(batch, range(0, RECORDS, 25)):
            pass
    took = time.monotonic() - t0
    cpu = server.cpu_seconds() - cpu0
    rss_after = server.rss_bytes()
    # Spot-check the load: a few items must read back whole.
    for k in (0, RECORDS // 2, RECORDS - 1):
        item = call(conn, "GetItem", {"TableName": TABLE, "Key": {"id": {"S": f"user{k:09d}"}},
                                      "ConsistentRead": True}).get("Item")
        if not item or len(item) != 11:
            raise RuntimeError(f"{server.name}: item {k} did not load correctly: {item}")
    conn.close()
    return {"load_s": took, "load_items_per_s": RECORDS / took, "load_cpu_s": cpu,
            "rss_before": rss_before, "rss_after": rss_after,
            "rss_per_item": (rss_after - rss_before) / RECORDS}


def children_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_client(server, read_pct, dist, seconds=None):
    seconds = seconds or DURATION
    if CLIENT == "wrk":
        argv = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
                "-s", os.path.join(HERE, "workload.lua"), f"http://127.0.0.1:{server.port}",
                "--", TABLE, str(RECORDS), str(read_pct), dist]
    else:
        argv = [lean_client(), "127.0.0.1", str(server.port), str(THREADS), str(CONNECTIONS), str(seconds),
                TABLE, str(RECORDS), str(read_pct), dist]
    cpu0 = server.cpu_seconds()
    client0 = children_cpu_s()  # the client is the only child waited for during the run
    r = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120)
    cpu = server.cpu_seconds() - cpu0
    client_cpu = children_cpu_s() - client0
    m = re.search(r"^RESULT (\{.*\})$", r.stdout, re.M)
    if r.returncode != 0 or not m:
        raise RuntimeError(f"{CLIENT} client failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    res = json.loads(m.group(1))
    errors = res["err_connect"] + res["err_read"] + res["err_write"] + res["err_status"] + res["err_timeout"]
    secs = res["duration_us"] / 1e6
    ok = res["requests"] - errors
    return {"ops": ok / secs, "p50_ms": res["p50_us"] / 1000, "p99_ms": res["p99_us"] / 1000,
            "cpu_s": cpu, "ops_per_cpu_s": ok / cpu if cpu > 0 else float("nan"),
            "client_us_per_op": client_cpu * 1e6 / ok if ok else float("nan"),
            "errors": errors, "requests": res["requests"]}


def fmt(x, digits=0):
    return f"{x:,.{digits}f}"


def write_results(loads, runs, started):
    lines = [
        "# Store benchmark (YCSB-like, over HTTP): cdnlab store vs dynalite",
        "",
        f"Run {started} UTC by `bench/store/ycsb.sh`: {RECORDS:,} items of ten 100-byte fields, "
        f"client {'wrk + workload.lua' if CLIENT == 'wrk' else 'ycsb_client.c'}, "
        f"{THREADS} threads / {CONNECTIONS} keep-alive connections, {DURATION} s per run"
        + (f" after a {WARMUP} s unmeasured warm-up of each server (workload B, uniform keys)" if WARMUP else "") + ", "
        f"{ROUNDS} round(s) alternating servers; medians. cdnlab store with `--data DIR --sync {SYNC}`; "
        "dynalite 4.0.0 in memory and on disk (`--path`, LevelDB). Driver and servers share this "
        f"machine's {os.cpu_count()} cores; ops per CPU-second is server CPU (utime+stime) only. "
        f"Load average at the start: {LOAD_AT_START:.1f} (other work on the machine skews ops/s; "
        "ops per CPU-second is steadier).",
        "",
    ]
    if (DURATION, ROUNDS, RECORDS) != (20, 3, 100000):
        lines += [f"**Smoke run** (BENCH_DURATION={DURATION}, BENCH_ROUNDS={ROUNDS}, BENCH_RECORDS={RECORDS}): "
                  "proves the script works; these are not benchmark figures.", ""]
    lines += [
        "## Load",
        "",
        "| server | load items/s | server CPU-s | RSS after load | RSS growth per item |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, l in loads.items():
        lines.append(f"| {name} | {fmt(l['load_items_per_s'])} | {fmt(l['load_cpu_s'], 1)} | "
                     f"{fmt(l['rss_after'] / 2**20, 1)} MiB | {fmt(l['rss_per_item'])} B |")
    lines += ["", "## Workloads (medians over rounds)", "",
              "| workload | keys | server | ops/s | p50 ms | p99 ms | ops per CPU-s | client CPU us/op | errors |",
              "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for (wl, pct, dist) in WORKLOADS:
        for name in loads:
            rs = runs.get((name, wl, dist), [])
            if not rs:
                continue
            med = {k: statistics.median(r[k] for r in rs)
                   for k in ("ops", "p50_ms", "p99_ms", "ops_per_cpu_s", "client_us_per_op")}
            errs = sum(r["errors"] for r in rs)
            lines.append(f"| {wl} ({pct}/{100 - pct}) | {dist} | {name} | {fmt(med['ops'])} | "
                         f"{fmt(med['p50_ms'], 2)} | {fmt(med['p99_ms'], 2)} | {fmt(med['ops_per_cpu_s'])} | "
                         f"{fmt(med['client_us_per_op'], 1)} | {errs} |")
    if "cdnlab" in loads:
        lines += ["", "## cdnlab / dynalite ratios (medians)", "",
                  "| workload | keys | vs | ops/s x | ops per CPU-s x | p99 cdnlab / other |", "|---|---|---|---:|---:|---:|"]
        for (wl, pct, dist) in WORKLOADS:
            c = runs.get(("cdnlab", wl, dist))
            for other in [n for n in loads if n != "cdnlab"]:
                o = runs.get((other, wl, dist))
                if not c or not o:
                    continue
                m = lambda rs, k: statistics.median(r[k] for r in rs)  # noqa: E731
                lines.append(f"| {wl} | {dist} | {other} | {m(c, 'ops') / m(o, 'ops'):.1f} | "
                             f"{m(c, 'ops_per_cpu_s') / m(o, 'ops_per_cpu_s'):.1f} | "
                             f"{m(c, 'p99_ms') / m(o, 'p99_ms'):.2f} |")
    lines += ["", "## Every run", "", "| round | server | workload | keys | ops/s | p50 ms | p99 ms | CPU-s | errors |",
              "|---:|---|---|---|---:|---:|---:|---:|---:|"]
    for (name, wl, dist), rs in sorted(runs.items()):
        for i, r in enumerate(rs, 1):
            lines.append(f"| {i} | {name} | {wl} | {dist} | {fmt(r['ops'])} | {fmt(r['p50_ms'], 2)} | "
                         f"{fmt(r['p99_ms'], 2)} | {fmt(r['cpu_s'], 1)} | {r['errors']} |")
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    log(f"wrote {OUT}")


LOAD_AT_START = os.getloadavg()[0]


def main():
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    workdir = tempfile.mkdtemp(prefix="ycsb-")
    servers = {}
    try:
        loads = {}
        for kind in SERVERS:
            log(f"starting {kind}")
            servers[kind] = start_server(kind, workdir)
            log(f"loading {RECORDS} items into {kind} (port {servers[kind].port})")
            loads[kind] = load(servers[kind])
            log(f"{kind}: {loads[kind]['load_items_per_s']:.0f} items/s, "
                f"{loads[kind]['rss_per_item']:.0f} B RSS per item")
        for kind in SERVERS if WARMUP > 0 else []:
            log(f"warming up {kind}: {WARMUP} s of workload B, uniform keys (not measured)")
            run_client(servers[kind], 95, "uniform", WARMUP)
        runs = {}
        for rnd in range(1, ROUNDS + 1):
            for (wl, pct, dist) in WORKLOADS:
                for kind in SERVERS:
                    r = run_client(servers[kind], pct, dist)
                    runs.setdefault((kind, wl, dist), []).append(r)
                    log(f"round {rnd} {kind:13s} {wl} {dist:7s} {r['ops']:9.0f} ops/s p50 {r['p50_ms']:.2f} ms "
                        f"p99 {r['p99_ms']:.2f} ms {r['ops_per_cpu_s']:.0f} ops/CPU-s client {r['client_us_per_op']:.1f} us/op "
                        f"errors {r['errors']}")
        write_results(loads, runs, started)
        bad = [k for k, rs in runs.items() if any(r["errors"] > r["requests"] * 0.01 for r in rs)]
        if bad:
            log(f"more than 1% errors in {bad}: figures for those runs are not valid")
            return 1
        return 0
    finally:
        for s in servers.values():
            s.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
