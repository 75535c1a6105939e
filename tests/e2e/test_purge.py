"""End-to-end: `cdnlab purge` across a running topology (origin, a shield, two edges), the
per-PoP CloudFront-format access logs `up --access-logs` turns on, `down` reporting what it
stopped, and run state keyed by the topology file's full path (a same-named file elsewhere is
another run).

Addresses are 127.A.B.x with A, B from this test's PID (as test_up.py does), the run directory
a private XDG_RUNTIME_DIR.
"""
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, curl  # noqa: E402
from running_topology import RunningTopology, alive, small_topology_yaml  # noqa: E402

PID = os.getpid()
NET = f"127.{150 + PID % 50}.{(PID // 50) % 250}"

FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
          "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
          "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
          "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
          "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end").split()


def own(h):
    return h["x-cache"].split(",")[-1].strip()


class PurgeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = RunningTopology("cdnlab-purge-e2e-", name=f"purge-{PID}",
                                  yaml=small_topology_yaml(NET, objects=100, service_ms=1), flags=["--access-logs"])
        cls.dir, cls.env, cls.topo = cls.stack.dir, cls.stack.env, cls.stack.topo
        cls.run_dir, cls.pids = cls.stack.run_dir, cls.stack.pids

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def purge(self, *args):
        return subprocess.run([BIN, "purge", "--topology", self.topo] + list(args), capture_output=True, text=True,
                              env=self.env, timeout=30)

    def test_1_purge_url_everywhere_shield_first(self):
        for n in (3, 4):
            curl(f"http://{NET}.{n}:8080/obj/7")
            s, h, _ = curl(f"http://{NET}.{n}:8080/obj/7")
            self.assertEqual(own(h), "Hit")
        r = self.purge("/obj/7")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        lines = [l for l in r.stdout.splitlines() if l.startswith("  ")]
        self.assertEqual([l.split()[0] for l in lines], ["shield", "fra", "syd"], r.stdout)
        for l in lines:
            self.assertIn("removed 1 object", l)
        self.assertIn("removed 3 objects", r.stdout)
        # Gone from every tier: the edge misses and so does the shield behind it.
        s, h, _ = curl(f"http://{NET}.3:8080/obj/7")
        self.assertEqual(h["x-cache"].replace(" ", ""), "Miss,Miss")

    def test_2_purge_prefix_and_all(self):
        for i in range(3):
            curl(f"http://{NET}.3:8080/obj/2{i}")
        r = self.purge("--prefix", "/obj/2")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"fra\s+edge\s+\S+: removed 3 objects")
        r = self.purge("--all")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("across 3 PoPs", r.stdout)

    def test_2b_purge_tag_everywhere_shield_first(self):
        # The catalog tags /obj/<id> with "obj-<id> group-<id mod 10>"; the PoPs index the tags.
        for n in (3, 4):
            for o in (13, 23, 14):
                curl(f"http://{NET}.{n}:8080/obj/{o}")
        r = self.purge("--tag", "group-3")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        lines = [l for l in r.stdout.splitlines() if l.startswith("  ")]
        self.assertEqual([l.split()[0] for l in lines], ["shield", "fra", "syd"], r.stdout)
        for l in lines:
            self.assertIn("removed 2 objects", l)
        self.assertIn("removed 6 objects", r.stdout)
        s, h, _ = curl(f"http://{NET}.3:8080/obj/23")
        self.assertEqual(h["x-cache"].replace(" ", ""), "Miss,Miss", "gone from the edge and the shield")
        s, h, _ = curl(f"http://{NET}.4:8080/obj/14")
        self.assertEqual(own(h), "Hit", "other groups stay")
        r = self.purge("--tag", "obj-14")
        self.assertRegex(r.stdout, r"syd\s+edge\s+\S+: removed 1 object")

    def test_3_usage_errors(self):
        r = self.purge()
        self.assertEqual(r.returncode, 2)
        r = self.purge("/obj/1", "--all")
        self.assertEqual(r.returncode, 2)

    def test_4_access_log_fields(self):
        curl("-H", "User-Agent: e2e agent/1.0", f"http://{NET}.4:8080/obj/42?x=1")
        curl("-H", "User-Agent: e2e agent/1.0", f"http://{NET}.4:8080/obj/42?x=1")
        path = os.path.join(self.run_dir, "syd.access.log")
        with open(path) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "#Version: 1.0")
        self.assertEqual(lines[1], "#Fields: " + " ".join(FIELDS))
        rows = [dict(zip(FIELDS, l.split("\t"))) for l in lines[2:] if "/obj/42" in l]
        for l in lines[2:]:
            self.assertEqual(len(l.split("\t")), 33, l)
        self.assertGreaterEqual(len(rows), 2)
        a, b = rows[-2], rows[-1]
        self.assertRegex(a["date"], r"^\d{4}-\d\d-\d\d$")
        self.assertRegex(a["time"], r"^\d\d:\d\d:\d\d$")
        self.assertEqual(a["x-edge-location"], "syd")
        self.assertEqual(a["cs-method"], "GET")
        self.assertEqual(a["cs-uri-stem"], "/obj/42")
        self.assertEqual(a["cs-uri-query"], "x=1")
        self.assertEqual(a["sc-status"], "200")
        self.assertEqual(a["cs(User-Agent)"], "e2e%20agent/1.0")
        self.assertEqual(a["c-ip"], "127.0.0.1")
        self.assertEqual(a["x-edge-result-type"], "Miss")
        self.assertEqual(b["x-edge-result-type"], "Hit")
        self.assertEqual(b["sc-content-len"], "2048")
        self.assertGreater(int(b["sc-bytes"]), 2048)
        self.assertEqual(a["cs-protocol-version"], "HTTP/1.1")
        self.assertNotEqual(a["x-edge-request-id"], b["x-edge-request-id"])
        self.assertEqual(a["ssl-protocol"], "-")

    def test_5_state_is_keyed_by_full_path(self):
        other = os.path.join(self.dir, "elsewhere")
        os.makedirs(other, exist_ok=True)
        same_name = os.path.join(other, os.path.basename(self.topo))
        shutil.copy(self.topo, same_name)
        r = subprocess.run([BIN, "down", same_name], capture_output=True, text=True, env=self.env, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("nothing running", r.stderr)
        for pid in self.pids.values():
            self.assertTrue(alive(pid))

    def test_6_down_reports_what_it_stopped(self):
        r = subprocess.run([BIN, "down", self.topo], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in ["origin", "shield", "fra", "syd", "router"]:
            self.assertRegex(r.stdout, rf"stopped \w+\s+{name}\s+pid {self.pids[name]}")
        self.assertIn(f"stopped 6 processes of {self.topo}", r.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
