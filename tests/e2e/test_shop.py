"""The shop (configs/shop.yaml) as one system: `cdnlab up` starts the store, the Lambda service,
the gateway, the catalog, the shield and the edges and deploys tables, functions and the API;
then product reads through a PoP are a Miss then a Hit, orders land in the store (checked with
boto3) and are never cached, the on-demand function's cold starts show in the Lambda metrics (the
read functions answer from their provisioned environments), a dead Lambda service or
store gives 5xx on the API while static assets still hit, and `down` leaves no process.
`up` runs with no node on PATH, so the functions run as their native versions: the shop
where Node.js is missing."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, curl  # noqa: E402
from running_topology import RunningTopology, alive, wait_gone  # noqa: E402
from shop_topology import make_shop  # noqa: E402


def request(url, method="GET", body=None, timeout=15):
    req = urllib.request.Request(url, method=method, data=body)
    if body is not None:
        req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def metric(text, name, **labels):
    """Sum of a Prometheus counter's samples whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name):
            continue
        m = re.match(r"^(\w+)(\{[^}]*\})?\s+([0-9.eE+-]+)$", line)
        if not m or m.group(1) != name:
            continue
        have = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        if all(have.get(k) == v for k, v in labels.items()):
            total += float(m.group(3))
    return total


class ShopTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # No node on PATH: `up` (runtime auto) deploys each function as its native version, the
        # way the shop runs where Node.js is missing.
        cls.no_node_dir = tempfile.mkdtemp(prefix="cdnlab-shop-path-")
        made = {}

        def write(folder):
            path, made["addr"] = make_shop(folder)
            return path

        cls.stack = RunningTopology("cdnlab-shop-e2e-", write=write, env={"PATH": cls.no_node_dir}, flags=["--wait"])
        cls.dir, cls.env, cls.topo, cls.pids = cls.stack.dir, cls.stack.env, cls.stack.topo, cls.stack.pids
        cls.addr = made["addr"]
        cls.up_seconds, cls.up_output = cls.stack.up_seconds, cls.stack.up_output

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()
        shutil.rmtree(cls.no_node_dir, ignore_errors=True)

    def edge(self, path):
        return f"http://{self.addr['fra']}{path}"

    def test_1_up_deployed_everything(self):
        out = self.up_output
        for name in ("store", "lambda", "gateway", "origin", "shield-nyc", "fra", "router"):
            self.assertIn(name, self.pids, out)
        self.assertRegex(out, r"deployed 2 tables \(3000 items seeded\), 3 functions \(3 native\), 1 API")
        # Dependency order in the table: store before lambda before gateway before any PoP.
        order = [line.split()[0] for line in out.splitlines() if line and line.split()[0] in self.pids]
        self.assertLess(order.index("store"), order.index("lambda"))
        self.assertLess(order.index("lambda"), order.index("gateway"))
        self.assertLess(order.index("gateway"), order.index("shield-nyc"))
        print(f"\nup of the shop (13 components, deploy included): {self.up_seconds:.2f} s", file=sys.stderr)

    def test_1b_load_shows_every_tier_and_the_report_the_cold_starts(self):
        # The API's functions answer from provisioned environments; once the measured run is
        # under way, one invocation of place-order's $LATEST (no provisioned environment) starts
        # an environment on demand: a cold start inside the measurement.
        import boto3
        results = os.path.join(self.dir, "run.json")
        page = os.path.join(self.dir, "report.html")
        load = subprocess.Popen([BIN, "load", self.topo, "--duration", "4s", "--warmup", "0s", "--rate", "60", "--seed", "3",
                                 "--json", results], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env)
        try:
            lines = []
            for line in load.stdout:  # the first progress line: measuring has started
                lines.append(line)
                if re.match(r"\s*1s/4s", line):
                    break
            lam = boto3.client("lambda", endpoint_url=f"http://{self.addr['lambda']}", region_name="us-east-1",
                               aws_access_key_id="x", aws_secret_access_key="y")
            lam.invoke(FunctionName="place-order", Payload=json.dumps({"body": "not json"}).encode())
            out, err = load.communicate(timeout=120)
        finally:
            if load.poll() is None:
                load.kill()
                load.communicate()
        out = "".join(lines) + out
        self.assertEqual(load.returncode, 0, out + err)
        self.assertIn("per behavior (edge PoPs):", out)
        with open(results) as f:
            tiers = json.load(f)["tiers"]
        self.assertGreater(tiers["edge"]["requests"], 0)
        self.assertGreater(tiers["shield"]["requests"], 0)
        self.assertGreater(tiers["gateway"]["requests"], 0)
        self.assertGreater(tiers["behaviors"]["api"]["requests"], 0)
        self.assertGreater(tiers["behaviors"]["static"]["requests"], 0)
        self.assertGreaterEqual(tiers["lambda"]["cold_starts"], 1)
        self.assertGreaterEqual(sum(v for _, v in tiers["lambda"]["series"]["cold_starts"]), 1)
        self.assertGreater(tiers["store"]["reads"], 0)
        self.assertGreater(tiers["store"]["read_capacity_units"], 0)
        self.assertIn("latency_p50_ms", tiers["store"])
        self.assertIn("duration_p50_ms", tiers["lambda"])
        r = self.stack.cdnlab("report", results, "-o", page)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(page) as f:
            html = f.read()
        m = re.search(r'data-plot="cold-starts" data-points="(\d+)"', html)
        self.assertIsNotNone(m, "no cold-start plot in the report")
        self.assertGreater(int(m.group(1)), 0)
        # One request's time split by tier, from the components' own medians.
        for part in ("function", "store"):
            self.assertRegex(html, rf'data-series="{part}" data-bar="[a-z-]+" data-y="[0-9.]+"', part)

    def test_2_product_read_is_a_miss_then_a_hit(self):
        # page=9 is in the api behavior's cache key: an entry the load above did not fill.
        s1, h1, b1 = request(self.edge("/api/products/p00042?page=9"))
        self.assertEqual(s1, 200, b1)
        self.assertEqual(json.loads(b1)["id"], "p00042")
        self.assertEqual(h1["x-cache"].split(",")[-1].strip(), "Miss")
        self.assertEqual(h1["cache-control"], "public, max-age=60")
        self.assertIn("strict-transport-security", h1)  # security-headers at origin-response
        s2, h2, b2 = request(self.edge("/api/products/p00042?page=9"))
        self.assertEqual((s2, b2), (200, b1))
        self.assertEqual(h2["x-cache"].split(",")[-1].strip(), "Hit")
        # normalize-query: tracking parameters do not make a new cache entry.
        s3, h3, _ = request(self.edge("/api/products/p00042?page=9&utm_source=mail"))
        self.assertEqual(s3, 200)
        self.assertEqual(h3["x-cache"].split(",")[-1].strip(), "Hit")
        # redirect-by-country at viewer-request on the home page: a Berlin client (its block in
        # the PoPs' geo database) is sent to the German site; the site itself answers.
        s5, h5, _ = curl("--interface", "127.10.0.5", self.edge("/"))
        self.assertEqual(s5, 302)
        self.assertTrue(h5["location"].endswith("/de/"), h5)
        # The category listing comes through the GSI, sorted by rank.
        s4, _, b4 = request(self.edge("/api/categories/books?limit=3"))
        self.assertEqual(s4, 200, b4)
        items = json.loads(b4)["items"]
        self.assertEqual([i["rank"] for i in items], [1, 2, 3])
        self.assertTrue(all(i["category"] == "books" for i in items))

    def test_3_order_lands_in_the_store_and_is_never_cached(self):
        import boto3
        ddb = boto3.client("dynamodb", endpoint_url=f"http://{self.addr['store']}", region_name="us-east-1",
                           aws_access_key_id="x", aws_secret_access_key="y")
        before = int(ddb.get_item(TableName="products", Key={"id": {"S": "p00007"}})["Item"]["stock"]["N"])
        self.assertGreaterEqual(before, 2)
        ids = []
        for _ in range(2):
            s, h, b = request(self.edge("/api/orders"), "POST", json.dumps({"productId": "p00007", "quantity": 1}).encode())
            self.assertEqual(s, 201, b)
            self.assertNotIn("Hit", h.get("x-cache", ""))
            ids.append(json.loads(b)["orderId"])
        self.assertNotEqual(ids[0], ids[1])
        for oid in ids:
            item = ddb.get_item(TableName="orders", Key={"orderId": {"S": oid}}, ConsistentRead=True).get("Item")
            self.assertIsNotNone(item, oid)
            self.assertEqual(item["productId"]["S"], "p00007")
        after = int(ddb.get_item(TableName="products", Key={"id": {"S": "p00007"}})["Item"]["stock"]["N"])
        self.assertEqual(after, before - 2)
        # The conditional write: more than the stock is refused (409) and changes nothing.
        s, _, b = request(self.edge("/api/orders"), "POST",
                          json.dumps({"productId": "p00007", "quantity": min(100, after + 1)}).encode())
        if after + 1 <= 100:
            self.assertEqual(s, 409, b)
            self.assertEqual(int(ddb.get_item(TableName="products", Key={"id": {"S": "p00007"}})["Item"]["stock"]["N"]), after)
        s, _, _ = request(self.edge("/api/orders"), "POST", b"not json")
        self.assertEqual(s, 400)
        # The shop's PoPs run the topology's behaviors: orders and API reads are told apart.
        with urllib.request.urlopen(f"http://{self.addr['fra_admin']}/metrics", timeout=10) as r:
            text = r.read().decode()
        self.assertGreaterEqual(metric(text, "cdnlab_behavior_requests_total", behavior="orders"), 4)
        self.assertGreaterEqual(metric(text, "cdnlab_behavior_requests_total", behavior="api"), 1)
        # The store's own /metrics: the orders were transactions that consumed write capacity,
        # the product reads read capacity.
        with urllib.request.urlopen(f"http://{self.addr['store']}/metrics", timeout=10) as r:
            store = r.read().decode()
        self.assertGreaterEqual(metric(store, "cdnlab_store_requests_total", operation="TransactWriteItems"), 3, store)
        self.assertGreaterEqual(metric(store, "cdnlab_store_write_capacity_units_total", operation="TransactWriteItems"), 2 * 2 * 2)
        self.assertGreater(metric(store, "cdnlab_store_read_capacity_units_total", operation="GetItem"), 0, store)
        self.assertGreaterEqual(metric(store, "cdnlab_store_latency_seconds_count", operation="GetItem"), 1)

    def test_4_cold_start_in_the_lambda_metrics(self):
        request(self.edge("/api/products/p00100"))
        text = self.lambda_metrics()
        # Reads and orders through the API use the environments provisioned before traffic; the
        # $LATEST invocation during the load (test_1b) started one on demand.
        self.assertEqual(metric(text, "cdnlab_lambda_cold_starts_total", function="get-product"), 0, text)
        self.assertGreaterEqual(metric(text, "cdnlab_lambda_invocations_total", function="get-product"), 1, text)
        self.assertGreaterEqual(metric(text, "cdnlab_lambda_cold_starts_total", function="place-order"), 1, text)

    def lambda_metrics(self):
        with urllib.request.urlopen(f"http://{self.addr['lambda']}/metrics", timeout=10) as r:
            return r.read().decode()

    def test_5_dead_store_or_lambda_gives_5xx_while_static_still_hits(self):
        # A static asset cached at the edge first.
        request(self.edge("/static/17"))
        s, h, _ = request(self.edge("/static/17"))
        self.assertEqual((s, h["x-cache"].split(",")[-1].strip()), (200, "Hit"))
        lambda_metrics = f"http://{self.addr['lambda']}/metrics"
        with urllib.request.urlopen(lambda_metrics, timeout=10) as r:
            before = metric(r.read().decode(), "cdnlab_lambda_invocations_total", function="get-product")
        os.kill(self.pids["store"], signal.SIGKILL)
        s, _, _ = request(self.edge("/api/products/p00200"))
        self.assertGreaterEqual(s, 500)
        # The function ran (the Lambda service is up): the 5xx is the store's absence.
        with urllib.request.urlopen(lambda_metrics, timeout=10) as r:
            self.assertGreater(metric(r.read().decode(), "cdnlab_lambda_invocations_total", function="get-product"), before)
        s, h, _ = request(self.edge("/static/17"))
        self.assertEqual((s, h["x-cache"].split(",")[-1].strip()), (200, "Hit"))
        os.kill(self.pids["lambda"], signal.SIGKILL)
        s, _, _ = request(self.edge("/api/products/p00201"))
        self.assertGreaterEqual(s, 500)
        s, _, _ = request(self.edge("/api/orders"), "POST", b'{"productId":"p00001","quantity":1}')
        self.assertGreaterEqual(s, 500)
        s, h, _ = request(self.edge("/static/17"))
        self.assertEqual((s, h["x-cache"].split(",")[-1].strip()), (200, "Hit"))

    def test_6_down_leaves_no_process(self):
        r = self.stack.down()
        self.assertEqual(r.returncode, 0, r.stderr)
        wait_gone(self.pids.values())
        self.assertEqual([n for n, p in self.pids.items() if alive(p)], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
