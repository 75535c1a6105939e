"""End-to-end: `cdnlab up --detach` / `cdnlab down` on a small topology (origin in London, a
shield in New York, edge PoPs in Frankfurt and Sydney, the router), each a real process on its
own loopback address. Checks Miss then Hit through every edge, that the shield fills the edges,
the latency model's magnitudes on the upstream hops, that a killed PoP leaves the others
serving, that `down` leaves no process behind, and that a bad topology is refused with file:line.

Addresses are 127.A.B.x with A, B from this test's PID, so parallel tests do not collide; the
run directory goes to a private XDG_RUNTIME_DIR.
"""
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, curl  # noqa: E402
from running_topology import RunningTopology, alive, pids_of, state_file  # noqa: E402

PID = os.getpid()
NET = f"127.{200 + PID % 50}.{(PID // 50) % 250}"
SERVICE_MS = 20.0

# id, city, lat, lon, host suffix, tier, upstream
ORIGIN = ("London", 51.5074, -0.1278)
POPS = [
    ("shield", "New York", 40.7128, -74.0060, 2, "shield", "origin"),
    ("fra", "Frankfurt", 50.1109, 8.6821, 3, "edge", "shield"),
    ("syd", "Sydney", -33.8688, 151.2093, 4, "edge", "shield"),
]


def great_circle_km(a, b):
    (lat1, lon1), (lat2, lon2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def rtt_ms(a, b):
    # The model of geo/latency_model.h with route_inflation 1.0 and per_hop_processing 0.5ms.
    return 2 * great_circle_km(a, b) / 200.0 + 0.5


def loc(pop_id):
    if pop_id == "origin":
        return ORIGIN[1:]
    p = next(p for p in POPS if p[0] == pop_id)
    return (p[2], p[3])


def topology_yaml():
    lines = [
        "latency: {route_inflation: 1.0, per_hop_processing: 0.5ms}",
        f"router: {{address: {NET}.1:8000, ttl: 5s, fallback_pop: fra,",
        "         health_check: {mode: http, path: /healthz, interval: 200ms, timeout: 150ms}}",
        f"origin: {{city: {ORIGIN[0]}, lat: {ORIGIN[1]}, lon: {ORIGIN[2]}, address: {NET}.5:9000}}",
        "catalog:",
        "  objects: 1000",
        "  size: {distribution: fixed, value: 2KiB}",
        "  cache_control: [{weight: 1, max_age: 1h}]",
        "  uncacheable: {share: 0}",
        f"  service_time: {{distribution: fixed, value: {int(SERVICE_MS)}ms}}",
        "pops:",
    ]
    for pid, city, lat, lon, n, tier, up in POPS:
        lines.append(f"  - {{id: {pid}, city: {city}, lat: {lat}, lon: {lon}, address: {NET}.{n}:8080,"
                     f" admin: {NET}.{n}:9080, tier: {tier}, upstream: {up}, capacity: 8MiB}}")
    lines += [
        "regions:",
        "  - {name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}",
        "  - {name: sydney, city: Sydney, country: AU, lat: -33.8688, lon: 151.2093, block: 127.17.0.0/16, share: 1}",
    ]
    return "\n".join(lines) + "\n"


def own_cache(headers):
    """This PoP's X-Cache verdict: the last member (a PoP appends its own to its upstream's)."""
    return headers["x-cache"].split(",")[-1].strip()


def timed_get(url):
    """GET and the time the PoP itself reports (Server-Timing pop;dur=, ms): the request in the
    PoP including its upstream hops, without curl's own start-up, which on a loaded machine
    varies by tens of ms."""
    status, headers, body = curl(url)
    m = re.search(r"pop;dur=([0-9.]+)", headers.get("server-timing", ""))
    assert m, headers
    return status, headers, body, float(m.group(1))


class UpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = RunningTopology("cdnlab-up-e2e-", name=f"up-e2e-{PID}", yaml=topology_yaml())
        cls.dir, cls.env, cls.topo = cls.stack.dir, cls.stack.env, cls.stack.topo
        cls.up_ms, cls.up_out = cls.stack.up_ms, cls.stack.up_output
        cls.state, cls.pids = cls.stack.state, cls.stack.pids

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def url(self, n, path):
        return f"http://{NET}.{n}:8080{path}"

    def test_1_table_and_state(self):
        for name in ("origin", "shield", "fra", "syd", "router"):
            self.assertIn(name, self.up_out)
            self.assertTrue(alive(self.pids[name]), name)
        self.assertIn(f"http://{NET}.3:9080", self.up_out)  # admin column
        print(f"\nup --detach of 5 components took {self.up_ms:.0f} ms", file=sys.stderr)

    def test_2_second_up_is_refused(self):
        r = subprocess.run([BIN, "up", self.topo, "--detach"], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("already running", r.stderr)
        for pid in self.pids.values():
            self.assertTrue(alive(pid))

    def test_3_miss_then_hit_through_each_edge_and_shield_filled(self):
        for n, obj in ((3, "/obj/11"), (4, "/obj/12")):
            s, h, _ = curl(self.url(n, obj))
            self.assertEqual(s, 200)
            self.assertEqual(own_cache(h), "Miss")
            s, h, _ = curl(self.url(n, obj))
            self.assertEqual(own_cache(h), "Hit")
            # The edge's miss went through the shield, which now holds the object.
            s, h, _ = curl(self.url(2, obj))
            self.assertEqual(s, 200)
            self.assertEqual(own_cache(h), "Hit", f"shield after edge {n}'s miss")

    def test_4_latency_magnitudes(self):
        syd_shield = rtt_ms(loc("syd"), loc("shield"))
        fra_shield = rtt_ms(loc("fra"), loc("shield"))
        shield_origin = rtt_ms(loc("shield"), loc("origin"))
        # Warm the upstream connections (a new connection costs one more RTT per hop).
        for n in (3, 4):
            curl(self.url(n, "/obj/100"))
            curl(self.url(n, "/obj/101"))
        # A miss at the far edge and at the shield: both hops plus the origin's service time.
        _, h, _, full = timed_get(self.url(4, "/obj/200"))
        self.assertEqual(own_cache(h), "Miss")
        expect = syd_shield + shield_origin + SERVICE_MS
        self.assertGreater(full, expect - 3, f"far miss {full:.1f} ms, model {expect:.1f} ms")
        # Upper bound: the shield may have to open a fresh origin connection (one more RTT of
        # that hop, the model's handshake cost), plus scheduling noise on a shared machine.
        self.assertLess(full, expect + shield_origin + 40, f"far miss {full:.1f} ms, model {expect:.1f} ms")
        # A hit at that PoP costs no upstream hop at all.
        _, h, _, hit = timed_get(self.url(4, "/obj/200"))
        self.assertEqual(own_cache(h), "Hit")
        self.assertLess(hit, 5)
        # At the near edge: a shield hit (the object syd just pulled) vs an origin fetch.
        _, h, _, shield_hit = timed_get(self.url(3, "/obj/200"))
        self.assertEqual(own_cache(h), "Miss")
        _, h, _, origin_fetch = timed_get(self.url(3, "/obj/201"))
        self.assertEqual(own_cache(h), "Miss")
        self.assertGreater(shield_hit, fra_shield - 3)
        self.assertLess(shield_hit, fra_shield + 40)
        self.assertGreater(origin_fetch, fra_shield + shield_origin + SERVICE_MS - 3)
        self.assertLess(shield_hit + shield_origin / 2, origin_fetch, "a shield hit is cheaper than an origin fetch")
        print(f"\nfar miss {full:.1f} ms (model {expect:.1f}), far hit {hit:.1f} ms, "
              f"near shield hit {shield_hit:.1f} ms (model {fra_shield:.1f}), "
              f"near origin fetch {origin_fetch:.1f} ms (model {fra_shield + shield_origin + SERVICE_MS:.1f})",
              file=sys.stderr)

    def test_5_killed_pop_leaves_the_others_serving(self):
        os.kill(self.pids["syd"], signal.SIGKILL)
        deadline = time.monotonic() + 5
        while alive(self.pids["syd"]) and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertFalse(alive(self.pids["syd"]))
        s, h, _ = curl(self.url(3, "/obj/300"))
        self.assertEqual(s, 200)
        s, h, _ = curl(self.url(2, "/obj/300"))
        self.assertEqual(own_cache(h), "Hit")
        # The router takes syd out once its health check fails: clients get fra.
        deadline = time.monotonic() + 5
        while True:
            s, h, _ = curl("--interface", "127.17.0.9", f"http://{NET}.1:8000/obj/1")
            if s == 302 and f"{NET}.3:8080" in h.get("location", ""):
                break
            self.assertLess(time.monotonic(), deadline, f"router still answers {s} {h.get('location')}")
            time.sleep(0.1)

    def test_6_down_stops_everything(self):
        r = subprocess.run([BIN, "down", self.topo], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        for name, pid in self.pids.items():
            self.assertFalse(alive(pid), f"{name} ({pid}) still running")
        self.assertFalse(os.path.exists(self.state))
        r = subprocess.run([BIN, "down", self.topo], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("nothing running", r.stderr)


class UpErrorsTest(unittest.TestCase):
    def test_bad_topology_exits_2_with_file_line(self):
        d = tempfile.mkdtemp(prefix="cdnlab-up-bad-")
        try:
            bad = os.path.join(d, "bad.yaml")
            with open(bad, "w") as f:
                f.write(topology_yaml().replace("capacity: 8MiB", "capacity: -8MiB", 1))
            r = subprocess.run([BIN, "up", bad, "--detach"], capture_output=True, text=True,
                               env=dict(os.environ, XDG_RUNTIME_DIR=d), timeout=60)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            line = next(i + 1 for i, l in enumerate(topology_yaml().splitlines()) if "capacity: 8MiB" in l)
            self.assertRegex(r.stderr, re.escape(bad) + rf":{line}:\d*:? ?.*capacity")
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_foreground_up_stops_children_on_sigterm(self):
        d = tempfile.mkdtemp(prefix="cdnlab-up-fg-")
        p = None
        try:
            topo = os.path.join(d, f"fg-{PID}.yaml")
            with open(topo, "w") as f:
                # Other addresses than UpTest's (x.6.. x.10), so both classes can run at once.
                f.write(topology_yaml().replace(f"{NET}.1:", f"{NET}.6:").replace(f"{NET}.2:", f"{NET}.7:")
                        .replace(f"{NET}.3:", f"{NET}.8:").replace(f"{NET}.4:", f"{NET}.9:")
                        .replace(f"{NET}.5:", f"{NET}.10:"))
            p = subprocess.Popen([BIN, "up", topo, "--no-latency"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True, env=dict(os.environ, XDG_RUNTIME_DIR=d), start_new_session=True)
            lines = []
            for line in p.stdout:
                lines.append(line)
                if line.startswith("serving"):
                    break
            self.assertTrue(lines and lines[-1].startswith("serving"), "".join(lines))
            pids = pids_of(state_file(d, f"fg-{PID}"))
            s, h, _ = curl(f"http://{NET}.8:8080/obj/1")
            self.assertEqual(s, 200)
            # A child that dies is reported; the others keep serving.
            os.kill(pids["syd"], signal.SIGKILL)
            for line in p.stdout:
                lines.append(line)
                if "syd" in line and "exited" in line:
                    break
            self.assertIn("pop syd exited (signal 9)", "".join(lines))
            s, h, _ = curl(f"http://{NET}.8:8080/obj/1")
            self.assertEqual(own_cache(h), "Hit")
            p.send_signal(signal.SIGTERM)
            rest, _ = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 0, "".join(lines) + rest)
            for name, pid in pids.items():
                self.assertFalse(alive(pid), name)
        finally:
            if p and p.poll() is None:
                p.kill()
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
