"""Lambda service benchmark: warm invoke round trip through the Invoke API and cold start
(CreateFunction sent -> first invocation's response received) of a Node.js function, side by side
with the cdnlab-native built-in `echo` in the same run, and the cold start of a Python function.

Fixed client: one keep-alive http.client connection from this process (no SDK signing or
retries in the timing), requests sent one after the other. Usage:

    python3 bench/lambda/invoke_bench.py [--bin build/cdnlab] [--warm 2000] [--cold 10] [--rounds 3] [--cold-gap-ms 0] [--no-prewarm]

Prints p50/p90/p99 per round and the median over rounds (what bench/RESULTS.md quotes)."""
import argparse
import base64
import http.client
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_FN = "export const handler = async (event) => ({ ok: true, n: event.n });\n"
PY_FN = "def handler(event, context):\n    return {'ok': True, 'n': event.get('n')}\n"


def make_zip(name, text):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, text)
    return buf.getvalue()


def start(binary, extra=()):
    p = subprocess.Popen([binary, "lambda", "--listen", "127.0.0.1:0", "--in-memory", *extra], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    line = p.stdout.readline()
    m = re.search(r"http://([0-9.]+):(\d+)", line)
    if not m:
        p.kill()
        raise SystemExit(f"cdnlab lambda did not start: {line}")
    return p, m.group(1), int(m.group(2))


def request(conn, method, path, body=b""):
    conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300 or r.getheader("X-Amz-Function-Error"):
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return data


def create(conn, name, runtime, handler, zipbytes):
    body = json.dumps({"FunctionName": name, "Runtime": runtime, "Handler": handler,
                       "Role": "arn:aws:iam::000000000000:role/bench",
                       "Code": {"ZipFile": base64.b64encode(zipbytes).decode()}}).encode()
    request(conn, "POST", "/2015-03-31/functions", body)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


def warm_round(conn, name, n):
    path = f"/2015-03-31/functions/{name}/invocations"
    request(conn, "POST", path, b'{"n":0}')  # make sure one environment is warm
    times = []
    for i in range(n):
        t0 = time.perf_counter_ns()
        request(conn, "POST", path, b'{"n":%d}' % i)
        times.append((time.perf_counter_ns() - t0) / 1e6)
    return pct(times, 50), pct(times, 90), pct(times, 99)


def cold_round(conn, prefix, runtime, handler, zipbytes, n, gap_ms=0):
    times = []
    for i in range(n):
        time.sleep(gap_ms / 1000)  # outside the timing: lets the service start its next spare
        name = f"{prefix}{i}"
        t0 = time.perf_counter_ns()
        create(conn, name, runtime, handler, zipbytes)
        request(conn, "POST", f"/2015-03-31/functions/{name}/invocations", b'{"n":1}')
        times.append((time.perf_counter_ns() - t0) / 1e6)
        request(conn, "DELETE", f"/2015-03-31/functions/{name}")
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "build", "cdnlab"))
    ap.add_argument("--warm", type=int, default=2000)
    ap.add_argument("--cold", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cold-gap-ms", type=int, default=0,
                    help="pause before each cold start (0: cold starts back to back, faster than node starts)")
    ap.add_argument("--no-prewarm", action="store_true", help="pass --no-prewarm to the service (cold = node's own start too)")
    a = ap.parse_args()
    proc, host, port = start(a.bin, ["--no-prewarm"] if a.no_prewarm else [])
    try:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        node_zip = make_zip("index.mjs", NODE_FN)
        create(conn, "node-warm", "nodejs20.x", "index.handler", node_zip)
        create(conn, "native-warm", "cdnlab-native", "echo", make_zip("README", "built-in echo"))
        warm = {"node": [], "native": []}
        cold = {"node": [], "native": [], "python": []}
        py_zip = make_zip("app.py", PY_FN)
        for r in range(a.rounds):
            for kind, name in (("node", "node-warm"), ("native", "native-warm")):
                p50, p90, p99 = warm_round(conn, name, a.warm)
                warm[kind].append(p50)
                print(f"round {r + 1} warm {kind:6s} p50 {p50:.3f} ms  p90 {p90:.3f} ms  p99 {p99:.3f} ms", flush=True)
            c_node = cold_round(conn, f"cold-node-{r}-", "nodejs20.x", "index.handler", node_zip, a.cold, a.cold_gap_ms)
            c_native = cold_round(conn, f"cold-native-{r}-", "cdnlab-native", "echo", make_zip("R", "x"), a.cold)
            c_py = cold_round(conn, f"cold-py-{r}-", "python3.11", "app.handler", py_zip, a.cold, a.cold_gap_ms)
            cold["node"].append(c_node)
            cold["native"].append(c_native)
            cold["python"].append(c_py)
            print(f"round {r + 1} cold node median {c_node:.1f} ms, native median {c_native:.1f} ms, "
                  f"python median {c_py:.1f} ms", flush=True)
        wn, wv = statistics.median(warm["node"]), statistics.median(warm["native"])
        cn, cv = statistics.median(cold["node"]), statistics.median(cold["native"])
        print(f"\nmedian of {a.rounds} rounds: warm p50 node {wn:.3f} ms, native {wv:.3f} ms (node/native {wn / wv:.2f}x); "
              f"cold node {cn:.1f} ms, native {cv:.1f} ms, python {statistics.median(cold['python']):.1f} ms")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    sys.exit(main())
