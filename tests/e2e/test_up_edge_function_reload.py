"""End-to-end: `cdnlab up --reload` changes the edge functions of a running topology. `up` starts
each PoP with edge functions on a file in its run directory (`--edge-functions`); after the
topology file's `edge_functions:` is edited, `up --reload` rewrites those files and signals the
PoPs, and the next request runs the new function. A reload the PoP refuses (an unknown built-in)
leaves the old function serving and says why; a PoP started without edge functions cannot gain
them without a restart, and `up --reload` says so.

Real `cdnlab up --detach` (origin, two PoPs, router) in a private XDG_RUNTIME_DIR, on a
127.0.X.0 block claimed with a lock file (shop_topology.py), curl as the client."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import curl, main  # noqa: E402
from running_topology import RunningTopology, alive  # noqa: E402
from shop_topology import _addresses, _claim_block  # noqa: E402

ADDR = _addresses(_claim_block())
FRA = ADDR["fra"]        # the PoP with edge functions
SYD = ADDR["shield"]     # an edge PoP started without any


def topology_yaml(fra_functions, syd_functions=None):
    def fns(entries):
        if entries is None:
            return ""
        items = ", ".join(f'{{trigger: {t}, function: "{f}", path: "{p}"}}' for t, f, p in entries)
        return f", edge_functions: [{items}]"

    return f"""latency: {{enabled: false}}
router: {{address: {ADDR['router']}, ttl: 5s, fallback_pop: fra}}
origin: {{city: London, lat: 51.5074, lon: -0.1278, address: {ADDR['origin']}}}
catalog:
  objects: 50
  size: {{distribution: fixed, value: 1KiB}}
  cache_control: [{{weight: 1, max_age: 1h}}]
  uncacheable: {{share: 0}}
pops:
  - {{id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: {FRA}, tier: edge, upstream: origin, capacity: 8MiB{fns(fra_functions)}}}
  - {{id: syd, city: Sydney, lat: -33.8688, lon: 151.2093, address: {SYD}, tier: edge, upstream: origin, capacity: 8MiB{fns(syd_functions)}}}
regions:
  - {{name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}}
  - {{name: sydney, city: Sydney, country: AU, lat: -33.8688, lon: 151.2093, block: 127.17.0.0/16, share: 1}}
"""


SECURITY_HEADERS = [("viewer-response", "builtin:security-headers", "/obj/*")]
AB_BUCKET = [("viewer-request", "builtin:ab-bucket", "/obj/*")]


class UpReloadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = RunningTopology("cdnlab-up-reload-", name="reload", yaml=topology_yaml(SECURITY_HEADERS))
        cls.fn_file = os.path.join(cls.stack.run_dir, "fra.edge-functions.yaml")

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def edit(self, fra_functions, syd_functions=None):
        tmp = self.stack.topo + ".tmp"
        with open(tmp, "w") as f:
            f.write(topology_yaml(fra_functions, syd_functions))
        os.replace(tmp, self.stack.topo)

    def reload(self):
        return self.stack.cdnlab("up", self.stack.topo, "--reload")

    def get(self, address, path, *args):
        return curl(*args, f"http://{address}{path}")

    def test_1_started_on_a_file(self):
        with open(f"/proc/{self.stack.pids['fra']}/cmdline", "rb") as f:
            args = f.read().split(b"\0")
        self.assertIn(b"--edge-functions", args)
        self.assertIn(self.fn_file.encode(), args)
        self.assertNotIn(b"--edge-function", args)
        # viewer-response runs on hits too.
        self.get(FRA, "/obj/1")
        s, h, _ = self.get(FRA, "/obj/1")
        self.assertEqual(s, 200)
        self.assertEqual(h["x-cache"].split(",")[-1].strip(), "Hit")
        self.assertIn("strict-transport-security", h)

    def test_2_reload_runs_the_new_function_on_the_next_request(self):
        self.get(FRA, "/obj/2")  # cached under /obj/2 while security-headers is the function
        self.edit(AB_BUCKET)
        r = self.reload()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("fra: reloaded edge functions: 1 association", r.stdout)
        with open(self.fn_file) as f:
            self.assertIn("builtin:ab-bucket", f.read())
        # ab-bucket adds ab=b to the query (part of the cache key): /obj/2, cached a moment ago,
        # is a miss now; and security-headers no longer runs.
        s, h, _ = self.get(FRA, "/obj/2", "-H", "Cookie: ab-bucket=b")
        self.assertEqual(s, 200)
        self.assertEqual(h["x-cache"].split(",")[-1].strip(), "Miss")
        self.assertNotIn("strict-transport-security", h)
        s, h, _ = self.get(FRA, "/obj/2", "-H", "Cookie: ab-bucket=b")
        self.assertEqual(h["x-cache"].split(",")[-1].strip(), "Hit")

    def test_3_a_refused_reload_keeps_the_running_function(self):
        self.edit([("viewer-request", "builtin:no-such-function", "/obj/*")])
        r = self.reload()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("fra: cdnlab pop: SIGHUP: edge functions not reloaded", r.stderr)
        self.assertIn("builtin:no-such-function", r.stderr)
        self.assertIn("fra.edge-functions.yaml", r.stderr)
        with open(self.fn_file) as f:
            self.assertIn("builtin:ab-bucket", f.read())  # put back: the file says what runs
        self.assertTrue(alive(self.stack.pids["fra"]))
        # Still ab-bucket: /obj/2?ab=b was cached in test 2.
        s, h, _ = self.get(FRA, "/obj/2", "-H", "Cookie: ab-bucket=b")
        self.assertEqual(s, 200)
        self.assertEqual(h["x-cache"].split(",")[-1].strip(), "Hit")

    def test_4_a_pop_without_functions_needs_a_restart(self):
        self.edit(AB_BUCKET, syd_functions=SECURITY_HEADERS)
        r = self.reload()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("syd: was started without edge functions", r.stderr)
        self.assertIn("fra: reloaded edge functions: 1 association", r.stdout)  # the others still reload
        self.get(SYD, "/obj/3")
        s, h, _ = self.get(SYD, "/obj/3")
        self.assertEqual(s, 200)
        self.assertNotIn("strict-transport-security", h)

    def test_5_bad_topology_changes_nothing(self):
        with open(self.stack.topo, "a") as f:
            f.write("unknown_section: 1\n")
        r = self.reload()
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("unknown_section", r.stderr)
        self.assertIn("nothing changed", r.stderr)


if __name__ == "__main__":
    main()
