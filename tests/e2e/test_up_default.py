"""End-to-end: `cdnlab up` with no file runs the embedded default, the shop (configs/shop.yaml):
the store seeded with the products, the three functions (Node.js with the AWS SDK v3 where node
and the SDK are installed, else their native versions), the HTTP API, the shield and six edge
PoPs. The files the shop names are written next to it in the run directory, identical to the
repository's; a client in Berlin routed by the geo router reads a product (Miss, then Hit) and
a static asset; the functions answer from the environments their provisioned concurrency started
(`up --wait` waits for them: no cold start), while invoking a function's $LATEST shows a cold start
in the Lambda service's metrics; `cdnlab down` with no file stops every process.

The default's addresses are fixed (127.0.1.1 .. 127.0.4.3): when something already serves one
of them (a user's own `cdnlab up` on this machine), the test is skipped rather than disturb it.
"""
import json
import os
import shutil
import socket
import sys
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import SOURCE, curl  # noqa: E402
from running_topology import RunningTopology, alive, wait_gone  # noqa: E402

DEFAULT_ADDRESSES = [("127.0.1.1", 8000), ("127.0.2.1", 9000), ("127.0.3.1", 8080), ("127.0.3.2", 8080),
                     ("127.0.4.1", 8000), ("127.0.4.2", 9001), ("127.0.4.3", 4010)]
SDK = os.path.join(SOURCE, "lambda", "runtimes", "node", "sdk", "node_modules")


def served(host, port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def metric(text, name, **labels):
    total = 0.0
    for line in text.splitlines():
        head, _, value = line.rpartition(" ")
        if line.startswith("#") or not (head == name or head.startswith(name + "{")):
            continue
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            total += float(value)
    return total


def lambda_metrics():
    with urllib.request.urlopen("http://127.0.4.2:9001/metrics", timeout=10) as r:
        return r.read().decode()


class DefaultTopologyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        busy = [f"{h}:{p}" for h, p in DEFAULT_ADDRESSES if served(h, p)]
        if busy:
            raise unittest.SkipTest(f"the default topology's addresses are in use here: {busy}")
        cls.stack = RunningTopology("cdnlab-default-e2e-", flags=["--wait"])

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def test_1_the_shop_is_deployed(self):
        out = self.stack.up_output
        node = shutil.which("node") is not None and os.path.isdir(SDK)
        self.assertRegex(out, r"deployed 2 tables \(\d+ items seeded.*\), 3 functions \(%d native\), 1 API"
                         % (0 if node else 3))
        self.assertIn("provisioned concurrency ready after", out)
        for name in ("store", "lambda", "gateway", "origin", "shield-nyc", "fra", "lon", "iad", "gru", "sin", "syd",
                     "router", "dashboard"):
            self.assertIn(name, self.stack.pids, out)
        # The embedded files, written next to the topology in the run directory, are the repository's.
        for rel, src in (("topology.yaml", "configs/shop.yaml"), ("shop/products.csv", "configs/shop/products.csv"),
                         ("shop/openapi.yaml", "configs/shop/openapi.yaml"),
                         ("shop/functions/place-order/index.mjs", "configs/shop/functions/place-order/index.mjs")):
            with open(os.path.join(self.stack.run_dir, rel), "rb") as a, open(os.path.join(SOURCE, src), "rb") as b:
                self.assertEqual(a.read(), b.read(), rel)

    def test_2_routed_product_read_is_a_miss_then_a_hit(self):
        # A Berlin client (its block in the geo DB) asks the router, which answers with its PoP.
        s, h, _ = curl("--interface", "127.10.0.7", "http://127.0.1.1:8000/api/products/p00123")
        self.assertEqual(s, 302)
        pop = h["location"]
        self.assertTrue(pop.startswith("http://127.0.3."), pop)
        s1, h1, b1 = curl(pop, timeout=20)
        self.assertEqual(s1, 200, b1)
        self.assertEqual(json.loads(b1)["id"], "p00123")
        self.assertEqual(h1["x-cache"].split(",")[-1].strip(), "Miss")
        s2, h2, b2 = curl(pop)
        self.assertEqual((s2, b2), (200, b1))
        self.assertEqual(h2["x-cache"].split(",")[-1].strip(), "Hit")
        s, h, body = curl(pop.replace("/api/products/p00123", "/static/3"))
        self.assertEqual(s, 200)
        self.assertGreater(len(body), 0)

    def test_3_provisioned_environments_and_an_on_demand_cold_start(self):
        import boto3
        s, _, b = curl("-X", "POST", "-H", "content-type: application/json", "--data", '{"productId": "p00009", "quantity": 1}',
                       "http://127.0.3.4:8080/api/orders", timeout=20)
        self.assertEqual(s, 201, b)
        text = lambda_metrics()
        # The read and the order went to environments provisioned before any traffic (alias live).
        for fn in ("get-product", "place-order"):
            self.assertGreaterEqual(metric(text, "cdnlab_lambda_invocations_total", function=fn), 1, text)
            self.assertEqual(metric(text, "cdnlab_lambda_cold_starts_total", function=fn), 0, text)
        # Invoking the unqualified function ($LATEST) has no provisioned environment: a cold start.
        lam = boto3.client("lambda", endpoint_url="http://127.0.4.2:9001", region_name="us-east-1",
                           aws_access_key_id="x", aws_secret_access_key="y")
        r = lam.invoke(FunctionName="place-order", Payload=json.dumps({"body": "not json"}).encode())
        self.assertEqual(json.loads(r["Payload"].read())["statusCode"], 400)
        self.assertGreaterEqual(metric(lambda_metrics(), "cdnlab_lambda_cold_starts_total", function="place-order"), 1)

    def test_4_down_without_a_file_stops_everything(self):
        r = self.stack.down()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("stopped 13 processes of the embedded default topology", r.stdout)
        wait_gone(self.stack.pids.values())
        self.assertEqual([n for n, p in self.stack.pids.items() if alive(p)], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
