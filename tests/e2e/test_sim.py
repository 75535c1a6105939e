"""`cdnlab sim` end to end: the CloudPhysics sample (tests/data) gives libCacheSim's calibration
counts through the CLI in every output form, `sim gen zipf` writes a trace the simulator reads
back, and bad input stops with a clear message and a non-zero exit."""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, SOURCE  # noqa: E402

DATA = os.path.join(SOURCE, "tests", "data", "cloudphysics")
TRACE = os.path.join(DATA, "cloudPhysicsIO.oracleGeneral.bin.zst")


def sim(*args, timeout=120):
    return subprocess.run([BIN, "sim", "--no-progress", *args], capture_output=True, text=True, timeout=timeout)


class SimCli(unittest.TestCase):
    def test_calibration_through_the_cli(self):
        with open(os.path.join(DATA, "calibration.csv")) as f:
            want = {(r["policy"], int(r["cache_size_objects"])): int(r["n_miss"]) for r in csv.DictReader(f)}
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "r.json")
            r = sim("--trace", TRACE, "--policy", "lru,fifo", "--size",
                    "0.001,0.003,0.01,0.03,0.1,0.2,0.4,0.8", "--out", out, "--threads", "2")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out) as f:
                doc = json.load(f)
        self.assertEqual(doc["requests"], 113872)
        self.assertEqual(doc["objects"], 48974)
        got = {(x["policy"], x["capacity"]): x["misses"] for x in doc["results"]}
        self.assertEqual(got, want)
        self.assertIn("lru", r.stdout)

    def test_mrc_writes_svg_and_csv(self):
        with tempfile.TemporaryDirectory() as d:
            svg = os.path.join(d, "curve.svg")
            r = sim("--trace", TRACE, "--policy", "lru,s3fifo,belady", "--mrc", svg, "--mrc-points", "5")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(svg) as f:
                text = f.read()
            self.assertTrue(text.startswith("<svg"))
            self.assertEqual(text.count("<polyline"), 3)
            with open(os.path.join(d, "curve.csv")) as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(len(rows), 15)
            by = {}
            for row in rows:
                by.setdefault(row["size"], {})[row["policy"]] = int(row["misses"])
            for size, m in by.items():
                self.assertLessEqual(m["belady"], min(m["lru"], m["s3fifo"]), size)

    def test_gen_zipf_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "z.bin.zst")
            r = subprocess.run([BIN, "sim", "gen", "zipf", "--objects", "5k", "--requests", "50k", "--alpha", "0.9",
                                "--size", "1KiB..4KiB", "--seed", "3", "--out", path],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            out = os.path.join(d, "r.csv")
            r = sim("--trace", path, "--policy", "lru,sieve", "--size", "0.1,256KiB", "--mode", "byte", "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out) as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(len(rows), 4)
            for row in rows:
                self.assertEqual(int(row["requests"]), 50000)
                self.assertLess(int(row["misses"]), 50000)

    def test_bad_input_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as d:
            cut = os.path.join(d, "cut.bin")
            with open(cut, "wb") as f:
                f.write(b"\0" * 24 * 3 + b"\1" * 10)
            r = sim("--trace", cut, "--format", "oracleGeneral")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("cut.bin: record 4: truncated record", r.stderr)
        r = sim("--trace", TRACE, "--policy", "lru,nosuch")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("unknown eviction policy 'nosuch'", r.stderr)
        r = sim("--trace", TRACE, "--policy", "s3fifo:smal=0.1")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("smal", r.stderr)
        r = sim("--trace", TRACE, "--format", "parquet")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("unknown trace format", r.stderr)

    def test_topology_replay(self):
        topo = os.path.join(SOURCE, "configs", "catalog.yaml")
        runs = [sim("--topology", topo, "--requests", "60k", "--objects", "5000", "--seed", "9") for _ in range(2)]
        for r in runs:
            self.assertEqual(r.returncode, 0, r.stderr)
        tables = [r.stdout.split("\norigin:")[0] for r in runs]
        self.assertEqual(tables[0], tables[1])  # a seed gives one answer
        lines = runs[0].stdout.splitlines()
        pops = {ln.split()[0]: ln.split() for ln in lines if ln.split()[:1] and ln.split()[0] in
                ("shield-nyc", "fra", "lon", "iad", "gru", "sin", "syd")}
        self.assertEqual(set(pops), {"shield-nyc", "fra", "lon", "iad", "gru", "sin", "syd"})
        edge_requests = sum(int(v[4]) for k, v in pops.items() if k != "shield-nyc")
        edge_misses = sum(int(v[4]) - round(int(v[4]) * float(v[5])) for k, v in pops.items() if k != "shield-nyc")
        edge_upstream = sum(int(v[8]) for k, v in pops.items() if k != "shield-nyc")
        self.assertEqual(edge_requests, 60000)
        # The catalog's TTLs (60k requests at the topology's 200/s: 5 minutes of virtual time):
        # the shield hears every edge miss, revalidation and background refresh.
        self.assertEqual(int(pops["shield-nyc"][4]), edge_upstream)
        self.assertGreaterEqual(edge_upstream, edge_misses - 7)  # ratios print 4 decimals
        self.assertGreater(sum(int(v[7]) for v in pops.values()), 0)  # some copies were revalidated
        region = {ln.split()[0]: ln.split() for ln in lines if ln.startswith(("berlin", "sydney"))}
        self.assertEqual(region["berlin"][1], "fra")
        self.assertEqual(region["sydney"][1], "syd")
        self.assertRegex(runs[0].stdout, r"origin: \d+ requests, offload 0\.\d+")
        bad = sim("--topology", os.path.join(SOURCE, "no", "such.yaml"))
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("such.yaml", bad.stderr)
        for flags, why in ((["--workload", "poisson"], "--workload"), (["--rate", "0"], "--rate"),
                           (["--keep", "soon"], "--keep"), (["--objects", "20000"], "objects must be 1..10000")):
            bad = sim("--topology", topo, "--requests", "1k", *flags)
            self.assertNotEqual(bad.returncode, 0, flags)
            self.assertIn(why, bad.stderr, flags)


if __name__ == "__main__":
    unittest.main()
