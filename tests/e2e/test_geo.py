"""End-to-end: `cdnlab geo build` writes a MaxMind DB that Debian's mmdblookup reads, and
`cdnlab router` sends each client (located by its source address) to its nearest healthy PoP.

The PoPs here are tiny stand-in HTTP servers on their own loopback addresses (127.0.3.x): the
router only needs something to redirect to and to health-check. Clients bind their sockets to
addresses inside a region's block (127.10.0.5 = Berlin), which works without root because Linux
routes all of 127.0.0.0/8 to `lo`.
"""
import http.client
import http.server
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, SOURCE, Proc, main  # noqa: E402

MAXMIND = os.environ.get("CDNLAB_GEO_TESTDATA", os.path.join(SOURCE, "..", "shared", "geo"))
MAXMIND_CITY = os.path.join(MAXMIND, "GeoIP2-City-Test.mmdb")


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"pop {self.server.pop_id}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class FakePop:
    """A stand-in PoP: answers 200 to everything on (host, ephemeral port)."""

    def __init__(self, pop_id, host):
        self.srv = http.server.ThreadingHTTPServer((host, 0), _Ok)
        self.srv.daemon_threads = True
        self.srv.pop_id = pop_id
        self.host, self.port = self.srv.server_address
        self.t = threading.Thread(target=self.srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.t.start()

    def stop(self):
        if self.srv:
            self.srv.shutdown()
            self.srv.server_close()
            self.srv = None


POPS = [  # id, city, lat, lon, loopback address
    ("fra", "Frankfurt", 50.1109, 8.6821, "127.0.3.2"),
    ("lon", "London", 51.5074, -0.1278, "127.0.3.3"),
    ("iad", "Ashburn", 39.0438, -77.4874, "127.0.3.4"),
    ("sin", "Singapore", 1.3521, 103.8198, "127.0.3.6"),
    ("syd", "Sydney", -33.8688, 151.2093, "127.0.3.7"),
]


def topology_yaml(pops):
    lines = [
        "router:",
        "  ttl: 15s",
        "  trusted_forwarders: [127.0.0.1/32]",
        "  fallback_pop: iad",
        "  health_check: {mode: http, path: /healthz, interval: 200ms, timeout: 150ms}",
        "origin: {city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.2.1:9000}",
        "catalog: {objects: 100}",
        "pops:",
        "  - {id: shield, city: New York, lat: 40.7128, lon: -74.006, address: 127.0.3.1:8080,",
        "     tier: shield, upstream: origin, capacity: 8MiB}",
    ]
    for (pid, city, lat, lon, host), fake in pops:
        lines.append(f"  - {{id: {pid}, city: {city}, lat: {lat}, lon: {lon}, address: {host}:{fake.port},"
                     f" upstream: shield, capacity: 4MiB}}")
    lines += [
        "regions:",
        "  - {name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}",
        "  - {name: tokyo, city: Tokyo, country: JP, lat: 35.6762, lon: 139.6503, block: 127.16.0.0/16, share: 1}",
        "  - {name: rio, city: Rio de Janeiro, country: BR, lat: -22.9068, lon: -43.1729, block: 127.14.0.0/16, share: 1}",
    ]
    return "\n".join(lines) + "\n"


def get(router, path, source=None, headers=None):
    """GET through a socket bound to `source` (an address in a region's block)."""
    host, port = router.addr["http"]
    c = http.client.HTTPConnection(host, port, timeout=5, source_address=(source, 0) if source else None)
    try:
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


class GeoBuildTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cdnlab-geo-e2e-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_build_default_then_mmdblookup(self):
        out = os.path.join(self.dir, "geo.mmdb")
        r = subprocess.run([BIN, "geo", "build", os.path.join(SOURCE, "configs", "catalog.yaml"), "-o", out],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("127.10.0.0/16", r.stdout)
        if not shutil.which("mmdblookup"):
            self.skipTest("mmdb-bin not installed")
        r = subprocess.run(["mmdblookup", "--file", out, "--ip", "127.10.0.5"], capture_output=True, text=True,
                           timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"Berlin" <utf8_string>', r.stdout)
        self.assertIn('"berlin" <utf8_string>', r.stdout)  # cdnlab.region
        self.assertIn("52.520000 <double>", r.stdout)
        r = subprocess.run(["mmdblookup", "--file", out, "--ip", "127.17.255.254", "city", "names", "en"],
                           capture_output=True, text=True, timeout=10)
        self.assertIn('"Sydney" <utf8_string>', r.stdout)
        # An address outside every block is not found (mmdblookup says so on stderr, exit 0 or 6).
        r = subprocess.run(["mmdblookup", "--file", out, "--ip", "127.0.0.1"], capture_output=True, text=True,
                           timeout=10)
        self.assertIn("Could not find an entry", r.stdout + r.stderr)

    def test_bad_topology_rejected_with_file_and_line(self):
        bad = os.path.join(self.dir, "bad.yaml")
        with open(bad, "w") as f:
            f.write(topology_yaml([]).replace("capacity: 8MiB", "capacity: -8MiB"))
        for cmd in (["geo", "build", bad, "-o", os.path.join(self.dir, "x.mmdb")], ["router", "--topology", bad]):
            r = subprocess.run([BIN] + cmd, capture_output=True, text=True, timeout=30)
            self.assertNotEqual(r.returncode, 0)
            self.assertRegex(r.stderr, re.escape(bad) + r":10:\d+: pops\[0\]\.capacity: ")


class RouterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cdnlab-router-e2e-")
        cls.fakes = {pid: FakePop(pid, host) for pid, _, _, _, host in POPS}
        cls.topo = os.path.join(cls.dir, "topo.yaml")
        with open(cls.topo, "w") as f:
            f.write(topology_yaml([(p, cls.fakes[p[0]]) for p in POPS]))
        cls.geo = os.path.join(cls.dir, "geo.mmdb")
        subprocess.run([BIN, "geo", "build", cls.topo, "-o", cls.geo], check=True, capture_output=True, timeout=30)
        args = ["router", "--topology", cls.topo, "--geo", cls.geo, "--listen", "127.0.0.1:0"]
        if os.path.exists(MAXMIND_CITY):
            args += ["--geo", MAXMIND_CITY]  # real-world addresses for the X-Forwarded-For cases
        cls.router = Proc(args)

    @classmethod
    def tearDownClass(cls):
        cls.router.stop()
        for f in cls.fakes.values():
            f.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_redirects_to_nearest_pop_by_source_address(self):
        for source, pop in (("127.10.0.5", "fra"), ("127.16.3.4", "sin"), ("127.14.0.9", "iad")):
            status, h, _ = get(self.router, "/obj/42?v=1", source=source)
            self.assertEqual(status, 302, h)
            self.assertEqual(h["x-cdnlab-pop"], pop, (source, h))
            fake = self.fakes[pop]
            self.assertEqual(h["location"], f"http://{fake.host}:{fake.port}/obj/42?v=1")
            self.assertEqual(h["cache-control"], "max-age=15")
        # The Location works: the PoP answers.
        status, h, _ = get(self.router, "/x", source="127.10.0.5")
        c = http.client.HTTPConnection(self.fakes["fra"].host, self.fakes["fra"].port, timeout=5)
        c.request("GET", "/x")
        self.assertEqual(c.getresponse().read(), b"pop fra\n")
        c.close()

    def test_unknown_client_goes_to_fallback(self):
        status, h, _ = get(self.router, "/", source="127.0.0.2")
        self.assertEqual(status, 302)
        self.assertEqual(h["x-cdnlab-pop"], "iad")

    def test_forwarded_for_only_from_trusted_sender(self):
        if not os.path.exists(MAXMIND_CITY):
            self.skipTest("no MaxMind test DB at " + MAXMIND_CITY)
        changchun = {"X-Forwarded-For": "175.16.199.7"}  # GeoIP2-City-Test: Changchun, CN
        # Untrusted peer (a Berlin client): the header is ignored, its own address counts.
        status, h, _ = get(self.router, "/a", source="127.10.0.5", headers=changchun)
        self.assertEqual(h["x-cdnlab-pop"], "fra", h)
        self.assertIn("(peer)", h["x-cdnlab-client"])
        # Trusted sender 127.0.0.1: the forwarded client is located (Changchun -> Singapore).
        status, h, _ = get(self.router, "/a", source="127.0.0.1", headers=changchun)
        self.assertEqual(h["x-cdnlab-pop"], "sin", h)
        self.assertIn("175.16.199.7 (x-forwarded-for)", h["x-cdnlab-client"])
        self.assertIn("Changchun", h["x-cdnlab-location"])
        for ip, pop in (("81.2.69.160", "lon"), ("216.160.83.57", "iad"), ("2001:480:10::1", "iad")):
            status, h, _ = get(self.router, "/a", source="127.0.0.1", headers={"X-Forwarded-For": ip})
            self.assertEqual(h["x-cdnlab-pop"], pop, (ip, h))

    def test_pops_json(self):
        status, h, body = get(self.router, "/pops")
        self.assertEqual(status, 200)
        doc = json.loads(body)
        ids = [p["id"] for p in doc["pops"]]
        self.assertEqual(ids, ["fra", "lon", "iad", "sin", "syd"])
        self.assertTrue(all("healthy" in p for p in doc["pops"]))

    def test_z_killed_pop_is_routed_around(self):
        # Runs last in this class (name order): it stops Frankfurt for good.
        self.assertEqual(get(self.router, "/b", source="127.10.0.5")[1]["x-cdnlab-pop"], "fra")
        self.fakes["fra"].stop()
        deadline = time.monotonic() + 10
        while True:  # wait for the router's own verdict (health checks every 200 ms)
            doc = json.loads(get(self.router, "/pops")[2])
            fra = next(p for p in doc["pops"] if p["id"] == "fra")
            if not fra["healthy"]:
                break
            self.assertLess(time.monotonic(), deadline, f"fra still healthy: {fra}")
            time.sleep(0.05)
        self.assertTrue(fra["last_error"])
        status, h, _ = get(self.router, "/b", source="127.10.0.5")
        self.assertEqual(status, 302)
        self.assertEqual(h["x-cdnlab-pop"], "lon")  # Berlin's next nearest
        self.assertEqual(h.get("x-cdnlab-failover"), "1")
        # Clients elsewhere are not moved.
        self.assertEqual(get(self.router, "/b", source="127.16.0.1")[1]["x-cdnlab-pop"], "sin")


if __name__ == "__main__":
    main()
