"""Durability of `cdnlab store`: drive writes from threads, SIGKILL the store in the middle,
restart it on the same data directory, and check that every acknowledged write is there and that
no TransactWriteItems is half applied. Runs for --sync always and --sync batch."""
import http.client
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, dynamodb_call  # noqa: E402

TARGET = "DynamoDB_20120810."


def call(addr, op, body, timeout=10):
    return dynamodb_call(addr, op, body, timeout=timeout)


class StoreDurability(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cdnlab-store-e2e-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, sync):
        return Proc(["store", "--listen", "127.0.0.1:0", "--data", self.dir, "--sync", sync, "--workers", "2"])

    def run_kill_restart(self, sync):
        p = self.start(sync)
        addr = p.addr["http"]
        st, _ = call(addr, "CreateTable", {
            "TableName": "Dur", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
        self.assertEqual(st, 200)
        acked = {}        # pk -> value acknowledged
        acked_tx = []     # transaction ids acknowledged
        lock = threading.Lock()
        stop = threading.Event()
        seed = random.randrange(1 << 30)
        print(f"seed {seed}")

        def writer(w):
            rng = random.Random(seed + w)
            i = 0
            deadline = time.monotonic() + 20
            while not stop.is_set() and time.monotonic() < deadline and i < 5000:
                i += 1
                try:
                    if rng.random() < 0.7:
                        pk, v = f"w{w}-{i}", f"v{i}"
                        st, _ = call(addr, "PutItem", {"TableName": "Dur", "Item": {"pk": {"S": pk}, "v": {"S": v}}}, timeout=5)
                        if st == 200:
                            with lock:
                                acked[pk] = v
                    else:
                        tx = f"tx{w}-{i}"
                        items = [{"Put": {"TableName": "Dur", "Item": {"pk": {"S": f"{tx}-{k}"}, "tx": {"S": tx}}}} for k in range(3)]
                        st, _ = call(addr, "TransactWriteItems", {"TransactItems": items}, timeout=5)
                        if st == 200:
                            with lock:
                                acked_tx.append(tx)
                except (OSError, http.client.HTTPException, ValueError):
                    return  # the store died under us: stop this writer

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
        for t in threads:
            t.start()
        # Kill once enough writes were acknowledged (bounded wait).
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with lock:
                if len(acked) + len(acked_tx) >= 300:
                    break
            time.sleep(0.05)
        os.kill(p.p.pid, signal.SIGKILL)  # the store we started, by PID
        p.p.wait(10)
        stop.set()
        for t in threads:
            t.join(30)
        with lock:
            acked_now, tx_now = dict(acked), list(acked_tx)
        self.assertGreater(len(acked_now) + len(tx_now), 50)

        p2 = self.start(sync)
        try:
            addr = p2.addr["http"]
            items = {}
            esk = None
            for _ in range(10000):
                body = {"TableName": "Dur", "ConsistentRead": True}
                if esk:
                    body["ExclusiveStartKey"] = esk
                st, r = call(addr, "Scan", body)
                self.assertEqual(st, 200, r)
                for it in r["Items"]:
                    items[it["pk"]["S"]] = it
                esk = r.get("LastEvaluatedKey")
                if not esk:
                    break
            missing = [pk for pk, v in acked_now.items() if pk not in items or items[pk]["v"]["S"] != v]
            self.assertEqual(missing, [], f"acknowledged writes lost after SIGKILL ({sync})")
            for tx in tx_now:
                for k in range(3):
                    self.assertIn(f"{tx}-{k}", items, f"acknowledged transaction {tx} lost")
            # No half-applied transaction, acknowledged or not.
            by_tx = {}
            for it in items.values():
                if "tx" in it:
                    by_tx.setdefault(it["tx"]["S"], 0)
                    by_tx[it["tx"]["S"]] += 1
            half = {tx: n for tx, n in by_tx.items() if n != 3}
            self.assertEqual(half, {}, "half-applied transactions")
            print(f"{sync}: {len(acked_now)} puts and {len(tx_now)} transactions acknowledged, all found; "
                  f"{len(items)} items after restart")
            self.assertEqual(p2.stop(), 0)
        finally:
            p2.stop()

    def test_sync_always(self):
        self.run_kill_restart("always")

    def test_sync_batch(self):
        self.run_kill_restart("batch")

    def test_health_and_errors(self):
        p = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        try:
            addr = p.addr["http"]
            conn = http.client.HTTPConnection(*addr, timeout=5)
            conn.request("GET", "/")
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            # DynamoDB's health line names the endpoint reached (here the Host header http.client sent).
            self.assertEqual(r.read().decode().strip(), "healthy: %s:%d" % tuple(addr))
            conn.request("GET", "/health")
            r = conn.getresponse()
            r.read()
            self.assertEqual(r.status, 400)  # only "/" is the health check
            conn.request("POST", "/", body="{}", headers={"X-Amz-Target": TARGET + "DescribeTable",
                                                          "Content-Type": "application/x-amz-json-1.0"})
            r = conn.getresponse()
            body = r.read()
            self.assertEqual(r.status, 400)
            self.assertEqual(json.loads(body)["__type"], "com.amazon.coral.validate#ValidationException")
            import zlib
            self.assertEqual(int(r.getheader("x-amz-crc32")), zlib.crc32(body))
            self.assertTrue(r.getheader("x-amzn-RequestId"))
            conn.close()
            self.assertEqual(p.stop(), 0)
        finally:
            p.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
