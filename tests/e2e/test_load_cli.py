"""End-to-end: `cdnlab load` never lies. Usage errors exit 2 before anything starts; a run
against nothing exits 1 naming the address and the reason (a refused connection is not "queue
full"); a run where every request fails exits 1 saying why; Ctrl-C prints the table of what was
measured and writes the JSON (outcomes, per-PoP/per-region series, configuration, timestamp,
unmeasured values absent); a second server on an address already served is refused; `geo build`
and `router` use the embedded default topology; `demo` checks the load's flags before starting anything.
"""
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Proc, curl  # noqa: E402

CATALOG = """catalog:
  objects: 200
  seed: 3
  size: {distribution: fixed, value: 1KiB}
  cache_control: [{weight: 1, value: "max-age=600"}]
  uncacheable: {share: 0}
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(args, timeout=60, env=None):
    return subprocess.run([BIN] + args, capture_output=True, text=True, timeout=timeout, env=env)


class Always500(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"broken\n"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class UsageTest(unittest.TestCase):
    def test_invalid_values_are_usage_errors(self):
        for args, word in [(["--rate", "0"], "--rate"), (["--rate", "-5"], "--rate"),
                           (["--requests", "0"], "--requests"), (["--requests", "-3"], "--requests"),
                           (["--duration", "0s"], "--duration"), (["--threads", "0"], "--threads"),
                           (["--no-such-flag"], "no-such-flag")]:
            r = run(["load", "--target", "http://127.0.0.1:9"] + args)
            self.assertEqual(r.returncode, 2, (args, r.stdout, r.stderr))
            self.assertIn(word, r.stderr, args)
            self.assertNotIn("requests/s over", r.stdout)  # nothing started

    def test_bad_topology_exits_2_with_file_and_line(self):
        d = tempfile.mkdtemp()
        try:
            bad = os.path.join(d, "bad.yaml")
            with open(bad, "w") as f:
                f.write("origin: {city: X, lat: 0, lon: 0, address: 127.0.2.1:9000}\npops: 7\n")
            r = run(["load", bad])
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(bad + ":", r.stderr)
        finally:
            shutil.rmtree(d)

    def test_nothing_running_exits_1_naming_the_address(self):
        port = free_port()
        r = run(["load", "--target", f"http://127.0.0.1:{port}", "--duration", "2s"])
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"nothing answers at --target 127.0.0.1:{port}", r.stderr)
        self.assertIn("refused", r.stderr.lower())
        self.assertNotIn("queue full", r.stdout + r.stderr)

    def test_router_down_suggests_up(self):
        # The embedded default topology's router (127.0.1.1:8000) is not running here.
        d = tempfile.mkdtemp()
        try:
            r = run(["load", "--duration", "2s"], env=dict(os.environ, XDG_RUNTIME_DIR=d))
            if "nothing answers" not in r.stderr:
                self.skipTest("something serves 127.0.1.1:8000 on this machine")
            self.assertEqual(r.returncode, 1)
            self.assertIn("cdnlab up", r.stderr)
        finally:
            shutil.rmtree(d)

    def test_geo_build_uses_the_embedded_default(self):
        d = tempfile.mkdtemp()
        try:
            out = os.path.join(d, "geo.mmdb")
            r = subprocess.run([BIN, "geo", "build", "-o", out], capture_output=True, text=True, cwd=d, timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("8 regions", r.stdout)
            self.assertTrue(os.path.getsize(out) > 0)
        finally:
            shutil.rmtree(d)

    def test_router_uses_the_embedded_default(self):
        # No topology given: the router routes to the embedded shop's edge PoPs, as `up` starts them.
        router = Proc(["router", "--listen", "127.0.0.1:0"])
        try:
            code, _, body = curl(router.url() + "/pops")
            self.assertEqual(code, 200)
            ids = [p["id"] for p in json.loads(body)["pops"]]
            self.assertEqual(ids, ["fra", "lon", "iad", "gru", "sin", "syd"])
        finally:
            router.stop()

    def test_demo_checks_load_flags_before_starting(self):
        d = tempfile.mkdtemp()
        try:
            r = run(["demo", "--duration", "5s", "--load-arg=--rate", "--load-arg=-1"],
                    env=dict(os.environ, XDG_RUNTIME_DIR=d))
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertIn("--rate", r.stderr)
            self.assertNotIn("components ready", r.stdout)
        finally:
            shutil.rmtree(d)


class SecondServerTest(unittest.TestCase):
    def test_address_already_served_is_refused(self):
        d = tempfile.mkdtemp()
        cat = os.path.join(d, "cat.yaml")
        with open(cat, "w") as f:
            f.write(CATALOG)
        first = Proc(["origin", "--catalog", cat, "--listen", "127.0.0.1:0"])
        try:
            host, port = first.addr["http"]
            r = run(["origin", "--catalog", cat, "--listen", f"{host}:{port}"], timeout=20)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("already in use", r.stderr + r.stdout)
            # The first one still serves every request.
            for _ in range(5):
                s, _, _ = curl(f"http://{host}:{port}/obj/1")
                self.assertEqual(s, 200)
        finally:
            first.stop()
            shutil.rmtree(d)


class RunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cat = os.path.join(cls.dir, "cat.yaml")
        with open(cat, "w") as f:
            f.write(CATALOG)
        cls.origin = Proc(["origin", "--catalog", cat, "--listen", "127.0.0.1:0"])
        cls.pop = Proc(["pop", "--upstream", cls.origin.url(), "--listen", "127.0.0.1:0", "--capacity", "16MiB",
                        "--workers", "1", "--id", "fra"])

    @classmethod
    def tearDownClass(cls):
        cls.pop.stop()
        cls.origin.stop()
        shutil.rmtree(cls.dir)

    def test_every_request_failing_exits_1_with_the_reason(self):
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Always500)
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        try:
            out = os.path.join(self.dir, "fail.json")
            r = run(["load", "--target", f"http://127.0.0.1:{srv.server_address[1]}", "--requests", "20",
                     "--rate", "200", "--warmup", "0s", "--objects", "10", "--json", out])
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("every one of the 20 measured requests failed (20 status 5xx)", r.stderr)
            with open(out) as f:
                res = json.load(f)
            self.assertEqual(res["total"]["errors"], 20)
            self.assertEqual(res["total"]["outcomes"]["Error"], 20)
            self.assertNotIn("latency_ms", res["total"])  # no successful request: no latency
            self.assertNotIn("byte_hit_ratio", res["total"])
            self.assertEqual(res["errors"]["status 5xx"], 20)
        finally:
            srv.shutdown()
            srv.server_close()

    def test_outcomes_and_json_shape(self):
        out = os.path.join(self.dir, "ok.json")
        r = run(["load", "--target", self.pop.url(), "--requests", "400", "--rate", "400", "--warmup", "0s",
                 "--objects", "50", "--seed", "4", "--json", out])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for word in ["requests by outcome", "latency by outcome per client region", "Hit", "Miss"]:
            self.assertIn(word, r.stdout)
        with open(out) as f:
            res = json.load(f)
        total = res["total"]
        self.assertEqual(total["requests"], 400)
        self.assertEqual(sum(total["outcomes"].values()), 400)
        self.assertEqual(total["hits"], total["outcomes"]["Hit"] + total["outcomes"]["Stale"])
        self.assertGreater(total["outcomes"]["Miss"], 0)
        self.assertGreater(total["outcomes"]["Hit"], 0)
        self.assertIn("Hit", total["latency_ms_by_outcome"])
        for k in ["min", "p10", "p25", "p50", "p99"]:
            self.assertIn(k, total["latency_ms_by_outcome"]["Hit"])
        run_info = res["run"]
        self.assertRegex(run_info["started_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(run_info["config"]["requests"], 400)
        self.assertEqual(run_info["config"]["objects"], 50)
        self.assertFalse(run_info["interrupted"])
        self.assertNotIn("offload", res)  # no origin given: not measured, so absent
        pop = res["pops"]["fra"]
        self.assertEqual(sum(p["requests"] for p in pop["series"]), 400)
        self.assertEqual(sum(p["requests"] for p in res["regions"]["target"]["series"]), 400)
        # measured time is the time measured: 400 requests at 400/s take about a second.
        self.assertLess(run_info["duration_s"], 5)

    def test_ctrl_c_prints_the_table_and_writes_the_json(self):
        out = os.path.join(self.dir, "int.json")
        p = subprocess.Popen([BIN, "load", "--target", self.pop.url(), "--duration", "60s", "--rate", "100",
                              "--warmup", "0s", "--objects", "50", "--json", out],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            lines = []
            for line in p.stdout:  # wait for two progress lines: something was measured
                lines.append(line)
                if sum(1 for l in lines if "requests" in l and "hit" in l) >= 2:
                    break
            t0 = time.monotonic()
            p.send_signal(signal.SIGINT)
            rest, err = p.communicate(timeout=20)
            self.assertLess(time.monotonic() - t0, 10)
        finally:
            if p.poll() is None:
                p.kill()
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted", rest)
        self.assertIn("per PoP", rest)
        with open(out) as f:
            res = json.load(f)
        self.assertTrue(res["run"]["interrupted"])
        self.assertGreater(res["total"]["requests"], 0)
        self.assertLess(res["run"]["duration_s"], 30)
        self.assertGreater(res["run"]["duration_s"], 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
