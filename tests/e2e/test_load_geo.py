"""End-to-end test of `cdnlab load` in geo mode: real `cdnlab router`, two `cdnlab pop`s and the
catalog origin on loopback addresses of a small topology. Each region's clients (bound to its
loopback block) are sent by the router to their nearest PoP; when that PoP is killed, its
clients ask the router again and move to the other one."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Proc, main  # noqa: E402

CATALOG = """catalog:
  objects: 200
  seed: 5
  size: {distribution: fixed, value: 1KiB}
  cache_control:
    - {weight: 1, value: "max-age=600"}
  uncacheable: {share: 0}
"""


def free_port(host):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class LoadGeoTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        cat = os.path.join(self.dir.name, "catalog.yaml")
        with open(cat, "w") as f:
            f.write(CATALOG)
        self.procs = []
        self.origin = self.start(["origin", "--catalog", cat, "--listen", "127.0.0.1:0"])
        self.addr = {}
        for pid, host in (("fra", "127.0.3.2"), ("syd", "127.0.3.7")):
            self.addr[pid] = (host, free_port(host), free_port(host))
        router_port = free_port("127.0.1.1")
        ohost, oport = self.origin.addr["http"]
        topo = [
            "latency: {enabled: true}",
            f"router: {{address: 127.0.1.1:{router_port}, ttl: 30s,",
            "  health_check: {mode: http, path: /healthz, interval: 200ms, timeout: 150ms}}",
            f"origin: {{city: Ashburn, lat: 39.0438, lon: -77.4874, address: {ohost}:{oport}}}",
            "catalog: {objects: 200}",
            "pops:",
            f"  - {{id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: {self.addr['fra'][0]}:{self.addr['fra'][1]},"
            f" admin: {self.addr['fra'][0]}:{self.addr['fra'][2]}, upstream: origin, capacity: 8MiB}}",
            f"  - {{id: syd, city: Sydney, lat: -33.8688, lon: 151.2093, address: {self.addr['syd'][0]}:{self.addr['syd'][1]},"
            f" admin: {self.addr['syd'][0]}:{self.addr['syd'][2]}, upstream: origin, capacity: 8MiB}}",
            "regions:",
            "  - {name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}",
            "  - {name: sydney, city: Sydney, country: AU, lat: -33.8688, lon: 151.2093, block: 127.17.0.0/16, share: 1}",
            "load: {rate: 100, duration: 3s, warmup: 0s}",
        ]
        self.topo = os.path.join(self.dir.name, "topo.yaml")
        with open(self.topo, "w") as f:
            f.write("\n".join(topo) + "\n")
        self.pops = {}
        for pid, (host, port, admin) in self.addr.items():
            self.pops[pid] = self.start(["pop", "--upstream", self.origin.url(), "--listen", f"{host}:{port}",
                                         "--admin", f"{host}:{admin}", "--capacity", "16MiB", "--workers", "1",
                                         "--id", pid], ready=("http", "admin"))
        self.router = self.start(["router", "--topology", self.topo])

    def tearDown(self):
        for p in reversed(self.procs):
            p.stop()
        self.dir.cleanup()

    def start(self, args, ready=("http",)):
        p = Proc(args, ready=ready)
        self.procs.append(p)
        return p

    def load(self, *extra):
        out = os.path.join(self.dir.name, "out.json")
        r = subprocess.run([BIN, "load", self.topo, "--no-latency", "--seed", "9", "--json", out] + list(extra),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(out) as f:
            return json.load(f), r.stdout

    def test_router_sends_each_region_to_its_nearest_pop(self):
        res, out = self.load("--duration", "2s")
        self.assertIn("router 127.0.1.1:", out)
        self.assertEqual(set(res["pops"].keys()), {"fra", "syd"}, out)
        self.assertEqual(res["pops"]["fra"]["requests"], res["regions"]["berlin"]["requests"])
        self.assertEqual(res["pops"]["syd"]["requests"], res["regions"]["sydney"]["requests"])
        self.assertEqual(res["total"]["errors"], 0)
        self.assertGreater(res["total"]["hits"], 0)
        self.assertIsNotNone(res["offload"])

    def test_killed_pops_clients_are_rerouted(self):
        proc = subprocess.Popen([BIN, "load", self.topo, "--no-latency", "--seed", "9", "--duration", "4s",
                                 "--json", os.path.join(self.dir.name, "kill.json")],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # Kill Sydney's PoP once the load is flowing (the first progress line).
        for line in proc.stdout:
            if "s/4s" in line:
                break
        self.pops["syd"].stop()
        rest = proc.stdout.read()
        proc.stdout.close()
        self.assertEqual(proc.wait(timeout=60), 0, rest)
        with open(os.path.join(self.dir.name, "kill.json")) as f:
            res = json.load(f)
        self.assertIn("re-routed after a PoP failure", rest)
        # Sydney's clients went on at Frankfurt: fra served more than Berlin's requests.
        self.assertGreater(res["pops"]["fra"]["requests"], res["regions"]["berlin"]["requests"], rest)
        self.assertGreater(res["pops"]["syd"]["requests"], 0)


if __name__ == "__main__":
    main()
