"""End-to-end: the topology replay (`cdnlab sim --topology`) predicts what the live CDN does.
The catalog-only topology (configs/catalog.yaml: six edge PoPs, a shield, the catalog origin,
eight client regions) runs under `cdnlab up`; `cdnlab load` sends a fixed-seed workload through
the router; `cdnlab sim --topology` replays the same workload (the same catalog objects, sizes,
Cache-Control and Zipf popularity, the same rate in virtual time). Each PoP's live hit ratio
must lie within a binomial bound of the replay's, and a fixed seed must give the replay's
tables exactly again.

Addresses are 127.A.B.x with A, B from this test's PID (as test_up.py does), the run directory a
private XDG_RUNTIME_DIR. The latency model is off in this copy of the topology: with it on, a
fill waits tens of ms of modelled round trips, and requests for the same object that arrive
meanwhile wait for it (counted as Collapsed, neither hit nor miss), which the replay, having no
concurrency, does not have; hit ratios are what is compared here, not latencies.
"""
import json
import math
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, SOURCE  # noqa: E402
from running_topology import RunningTopology  # noqa: E402

PID = os.getpid()
NET = f"127.{100 + PID % 50}.{(PID // 50) % 250}"

RATE = 300        # requests/s, live and in virtual time
REQUESTS = 3000   # ten seconds of load
OBJECTS = 1000    # the first 1000 catalog objects (ranks), so that caches warm within the run
SEED = 7
REPLAYS = 20      # replay seeds averaged: the replay's own sampling error becomes small
Z = 4.0           # a correct replay falls outside Z binomial standard deviations with p < 1e-4


def test_topology():
    """configs/catalog.yaml with this test's addresses and the latency model off."""
    with open(os.path.join(SOURCE, "configs", "catalog.yaml")) as f:
        text = f.read()
    # 127.0.1.1:8000 (router), 127.0.2.1:9000 (origin), 127.0.3.K:8080/9080 (PoPs)
    text = re.sub(r"127\.0\.(\d)\.(\d+):(\d+)", lambda m: f"{NET}.{int(m[1]) * 10 + int(m[2])}:{m[3]}", text)
    text, n = re.subn(r"(\nlatency:\n  enabled:) true", r"\1 false", text)
    assert n == 1, "configs/catalog.yaml's latency section moved"
    return text


def replay_table(stack, seed):
    r = stack.cdnlab("sim", "--topology", stack.topo, "--requests", str(REQUESTS), "--objects", str(OBJECTS),
                     "--rate", str(RATE), "--seed", str(seed), timeout=120)
    if r.returncode != 0:
        raise AssertionError(f"cdnlab sim failed: {r.stderr}")
    return r.stdout


def pop_rows(table):
    """PoP id -> (requests, hit ratio) from the replay's PoP table."""
    rows = {}
    for line in table.split("\n\n")[0].splitlines()[2:]:
        f = line.split()
        rows[f[0]] = (int(f[4]), float(f[5]))
    return rows


class SimVsLiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = RunningTopology("cdnlab-simlive-e2e-", name=f"simlive-{PID}", yaml=test_topology())

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def test_live_hit_ratios_match_the_replay(self):
        out = os.path.join(self.stack.dir, "load.json")
        r = self.stack.cdnlab("load", self.stack.topo, "--rate", str(RATE), "--requests", str(REQUESTS),
                              "--duration", "60s", "--warmup", "0s", "--objects", str(OBJECTS),
                              "--seed", str(SEED), "--json", out, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(out) as f:
            live = json.load(f)
        total = live["total"]
        self.assertGreaterEqual(total["requests"], REQUESTS)
        self.assertLessEqual(total["errors"], total["requests"] // 100, total)

        # The replay's expectation: REPLAYS seeds of the same workload, pooled per PoP.
        pooled = {}
        for seed in range(1, REPLAYS + 1):
            for pop, (n, ratio) in pop_rows(replay_table(self.stack, seed)).items():
                hits, reqs = pooled.get(pop, (0, 0))
                pooled[pop] = (hits + round(n * ratio), reqs + n)

        compared = 0
        for pop, tally in live["pops"].items():
            n = tally["requests"] - tally["errors"]
            if n < 100:
                continue  # too few to say anything
            hits, reqs = pooled[pop]
            p = hits / reqs
            bound = Z * math.sqrt(max(p * (1 - p), 1e-4) * (1 / n + 1 / reqs))
            live_ratio = tally["hits"] / n
            print(f"{pop:12s} live {live_ratio:.4f} ({n} requests)  replay {p:.4f} ({reqs})  bound {bound:.4f}",
                  file=sys.stderr)
            with self.subTest(pop=pop):
                self.assertLessEqual(abs(live_ratio - p), bound,
                                     f"{pop}: live {live_ratio:.4f} over {n} requests, replay {p:.4f} "
                                     f"over {reqs}: bound {bound:.4f}")
            compared += 1
        self.assertGreaterEqual(compared, 5)  # most edges saw enough of the eight regions' traffic
        shield = live["shield"]
        if shield["requests"] >= 100:
            hits, reqs = pooled["shield-nyc"]
            p = hits / reqs
            n = shield["requests"] - shield["errors"]
            bound = Z * math.sqrt(max(p * (1 - p), 1e-4) * (1 / n + 1 / reqs))
            self.assertLessEqual(abs(shield["hits"] / n - p), bound, f"shield: live {shield}, replay {p:.4f}")

    def test_replay_is_reproducible_for_a_seed(self):
        a, b = replay_table(self.stack, SEED), replay_table(self.stack, SEED)
        tables = [t.split("\norigin:")[0] for t in (a, b)]
        self.assertEqual(tables[0], tables[1])
        self.assertNotEqual(tables[0], replay_table(self.stack, SEED + 1).split("\norigin:")[0])


if __name__ == "__main__":
    unittest.main()
