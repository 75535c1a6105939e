"""End-to-end: Ctrl-C during `cdnlab demo` (issue 8's load-tool bullets). On a small topology (an
origin, one edge PoP, the router) the demo echoes the `cdnlab load` command it really runs; Ctrl-C
once the load has reached the PoP prints the table of what was measured so far, writes the JSON
and the HTML report, exits 130 and still stops every process of the topology.

Addresses are 127.A.B.x with A, B from this test's PID (other e2e tests use the same scheme with
other offsets); the run directory goes to a private XDG_RUNTIME_DIR.
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN  # noqa: E402
from running_topology import alive  # noqa: E402

PID = os.getpid()
NET = f"127.{150 + PID % 50}.{(PID // 50) % 250}"

TOPOLOGY = f"""router: {{address: {NET}.1:8000, ttl: 5s, fallback_pop: fra,
         health_check: {{mode: http, path: /healthz, interval: 200ms, timeout: 150ms}}}}
origin: {{city: London, lat: 51.5074, lon: -0.1278, address: {NET}.5:9000}}
catalog:
  objects: 200
  size: {{distribution: fixed, value: 1KiB}}
  cache_control: [{{weight: 1, max_age: 1h}}]
  uncacheable: {{share: 0}}
pops:
  - {{id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: {NET}.3:8080, admin: {NET}.3:9080,
     tier: edge, upstream: origin, capacity: 8MiB}}
regions:
  - {{name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}}
"""


def pop_requests():
    try:
        with urllib.request.urlopen(f"http://{NET}.3:9080/metrics", timeout=2) as r:
            text = r.read().decode()
    except OSError:
        return 0
    return sum(int(n) for n in re.findall(r"^cdnlab_requests_total\{[^}]*\} (\d+)", text, re.M))


class DemoInterruptTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cdnlab-demo-e2e-")
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.dir)
        self.topo = os.path.join(self.dir, f"demo-e2e-{PID}.yaml")
        with open(self.topo, "w") as f:
            f.write(TOPOLOGY)
        self.json = os.path.join(self.dir, "run.json")
        self.report = os.path.join(self.dir, "run.html")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_ctrl_c_prints_the_table_writes_the_json_and_stops_the_topology(self):
        p = subprocess.Popen([BIN, "demo", self.topo, "--duration", "120s", "--no-latency",
                              "--load-arg=--warmup", "--load-arg=0s", "--json", self.json,
                              "--report", self.report],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=self.env,
                             start_new_session=True)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(p.stdout), daemon=True)
        reader.start()
        component_pids = []
        try:
            # Ready when the load's requests reach the PoP (bounded: 60 s).
            deadline = time.monotonic() + 60
            while pop_requests() < 20:
                self.assertIsNone(p.poll(), "".join(lines))
                self.assertLess(time.monotonic(), deadline, "the load never reached the PoP:\n" + "".join(lines))
                time.sleep(0.2)
            state = glob.glob(os.path.join(self.dir, "cdnlab", f"demo-e2e-{PID}-*", "state"))
            self.assertEqual(len(state), 1, state)
            with open(state[0]) as f:
                component_pids = [int(l.split("\t")[3]) for l in f if l.startswith("component\t")]
            self.assertGreaterEqual(len(component_pids), 3)  # origin, fra, router
            os.killpg(p.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
            rc = p.wait(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        reader.join(timeout=10)
        p.stdout.close()
        out = "".join(lines)
        self.assertEqual(rc, 130, out)
        # The command it echoes is the one it runs: this topology file, the flags it passes.
        echoed = re.search(r"^\$ (.*)$", out, re.M)
        self.assertIsNotNone(echoed, out)
        self.assertRegex(echoed.group(1), rf"cdnlab load {re.escape(self.topo)} --duration 120s --no-latency "
                                          rf"--warmup 0s --json {re.escape(self.json)}$")
        self.assertIn("interrupted: the tables show what was measured until then", out)
        self.assertIn("stopped", out)
        table = re.search(r"^  all +(\d+) ", out, re.M)
        self.assertIsNotNone(table, out)
        self.assertGreater(int(table.group(1)), 0, "the table shows the requests measured so far")
        with open(self.json) as f:
            result = json.load(f)
        self.assertIn("Hit", json.dumps(result))
        self.assertTrue(os.path.getsize(self.report) > 0)
        for pid in component_pids:
            deadline = time.monotonic() + 10
            while alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            self.assertFalse(alive(pid), f"component {pid} still runs after the demo ended")
        self.assertEqual(glob.glob(os.path.join(self.dir, "cdnlab", "*", "state")), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
