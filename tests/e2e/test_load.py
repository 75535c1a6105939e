"""End-to-end tests of `cdnlab load` against a real `cdnlab origin` and `cdnlab pop` on loopback
(--target mode, so no `cdnlab up` is needed): counts add up, the hit ratio is above zero and
rises as the cache warms, origin offload equals what the origin's own counters say, and with
the latency model on, a far region sees higher latency than a near one."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Proc, main  # noqa: E402

CATALOG = """catalog:
  objects: 300
  seed: 11
  size:
    distribution: fixed
    value: 2KiB
  cache_control:
    - {weight: 1, value: "max-age=600"}
  uncacheable:
    share: 0
"""

# Two regions, one near the only edge PoP (Berlin -> Frankfurt, ~7 ms RTT) and one far
# (Sydney -> Frankfurt, ~250 ms RTT). Addresses are placeholders: --target replaces the router.
TOPOLOGY = """latency: {enabled: true, route_inflation: 1.5, per_hop_processing: 0.5ms}
router: {address: 127.0.1.1:8000, ttl: 30s}
origin: {city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.2.1:9000}
catalog: {objects: 300}
pops:
  - {id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: 127.0.3.2:8080, upstream: origin, capacity: 8MiB}
regions:
  - {name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}
  - {name: sydney, city: Sydney, country: AU, lat: -33.8688, lon: 151.2093, block: 127.17.0.0/16, share: 1}
load: {rate: 100, duration: 10s, warmup: 0s}
"""


def metric_sum(text, name):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


def origin_counters(origin):
    with urllib.request.urlopen(origin.url() + "/metrics", timeout=5) as r:
        text = r.read().decode()
    return metric_sum(text, "cdnlab_origin_requests_total"), metric_sum(text, "cdnlab_origin_body_bytes_total")


class LoadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cat = os.path.join(cls.dir.name, "catalog.yaml")
        with open(cat, "w") as f:
            f.write(CATALOG)
        cls.topo = os.path.join(cls.dir.name, "topo.yaml")
        with open(cls.topo, "w") as f:
            f.write(TOPOLOGY)
        cls.origin = Proc(["origin", "--catalog", cat, "--listen", "127.0.0.1:0"])
        cls.pops = []

    @classmethod
    def tearDownClass(cls):
        for p in cls.pops:
            p.stop()
        cls.origin.stop()
        cls.dir.cleanup()

    def new_pop(self, pop_id):
        p = Proc(["pop", "--upstream", self.origin.url(), "--listen", "127.0.0.1:0", "--capacity", "64MiB",
                  "--workers", "1", "--id", pop_id])
        self.pops.append(p)
        return p

    def run_load(self, args, timeout=90):
        out = os.path.join(self.dir.name, "out.json")
        if os.path.exists(out):
            os.unlink(out)
        r = subprocess.run([BIN, "load"] + args + ["--json", out], capture_output=True, text=True, timeout=timeout)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(out) as f:
            return json.load(f), r.stdout

    def test_counts_hit_ratio_rise_and_offload(self):
        pop = self.new_pop("edge1")
        before = origin_counters(self.origin)
        res, stdout = self.run_load(["--target", pop.url() + "/", "--objects", "300", "--rate", "400",
                                     "--requests", "2000", "--seed", "7", "--origin", self.origin.url()])
        after = origin_counters(self.origin)
        self.assertIn("seed 7", stdout)
        self.assertRegex(stdout, r"  \d+s/\d+s  requests \d+  hit \d+\.\d%  p99 \d+\.\dms")
        total = res["total"]
        # Counts add up: every measured request is in the total, per PoP, per region, per second.
        self.assertEqual(total["requests"], 2000)
        self.assertEqual(total["errors"], 0)
        self.assertEqual(sum(p["requests"] for p in res["pops"].values()), 2000)
        self.assertEqual(list(res["pops"].keys()), ["edge1"])
        self.assertEqual(sum(r["requests"] for r in res["regions"].values()), 2000)
        self.assertEqual(sum(s["requests"] for s in res["series"]), 2000)
        self.assertEqual(sum(s["hits"] for s in res["series"]), total["hits"])
        self.assertEqual(total["bytes"], 2000 * 2048)
        # Hit ratio above zero and rising as the cache warms (first second vs the last full one).
        self.assertGreater(total["hit_ratio"], 0)
        series = [s for s in res["series"] if s["requests"] >= 100]
        self.assertGreaterEqual(len(series), 3, res["series"])
        self.assertLess(series[0]["hit_ratio"], series[-1]["hit_ratio"], res["series"])
        # Offload from the origin's own counters: 1 - origin requests / client requests.
        off = res["offload"]
        self.assertEqual(off["origin_requests"], after[0] - before[0])
        self.assertEqual(off["client_requests"], 2000)
        self.assertAlmostEqual(off["request_offload"], 1 - (after[0] - before[0]) / 2000, places=9)
        self.assertAlmostEqual(off["byte_offload"], 1 - (after[1] - before[1]) / total["bytes"], places=9)
        # A fresh PoP and a catalog that all fits: the origin served each distinct object once.
        self.assertLessEqual(after[0] - before[0], total["requests"] - total["hits"])

    def test_far_region_slower_than_near_with_latency_model(self):
        pop = self.new_pop("fra")
        res, stdout = self.run_load([self.topo, "--target", pop.url() + "/", "--target-pop", "fra", "--rate", "100",
                                     "--requests", "400", "--seed", "3", "--origin", self.origin.url()])
        self.assertIn("latency model on", stdout)
        near, far = res["regions"]["berlin"], res["regions"]["sydney"]
        self.assertGreater(near["requests"], 100)
        self.assertGreater(far["requests"], 100)
        self.assertEqual(near["requests"] + far["requests"], 400)
        # RTT(Berlin, Frankfurt) ~ 7 ms; RTT(Sydney, Frankfurt) ~ 250 ms (x2 on a new connection).
        self.assertLess(near["latency_ms"]["p50"], 60)
        self.assertGreater(far["latency_ms"]["p50"], 200)
        self.assertGreater(far["latency_ms"]["p50"], near["latency_ms"]["p50"] + 150)

    def test_no_latency_flag_and_closed_loop(self):
        pop = self.new_pop("edge3")
        res, stdout = self.run_load([self.topo, "--target", pop.url() + "/", "--closed", "--connections", "4",
                                     "--requests", "500", "--no-latency", "--seed", "5"])
        self.assertIn("latency model off", stdout)
        self.assertEqual(res["run"]["mode"], "closed")
        self.assertEqual(res["total"]["requests"], 500)
        self.assertLess(res["regions"]["sydney"]["latency_ms"]["p50"], 50)

    def test_refused_target_fails_at_once_naming_it(self):
        # Nothing to measure: the pre-flight check says so before the run, and the exit code
        # says it failed (a table of nothing but errors would look like a result).
        r = subprocess.run([BIN, "load", "--target", "http://127.0.0.1:1/", "--closed", "--connections", "2",
                            "--duration", "1s", "--seed", "1"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("nothing answers at --target 127.0.0.1:1", r.stderr)


if __name__ == "__main__":
    main()
