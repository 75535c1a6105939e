"""End-to-end tests of `cdnlab pop` in front of the real `cdnlab origin` (catalog), on loopback:
Miss then Hit, Age, purge, stale-if-error, collapsing of 1000 concurrent misses, pipelining,
malformed input, hit ratio with more workers, and a two-tier chain (edge -> shield -> origin)."""
import os
import re
import socket
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, curl, main, raw_request  # noqa: E402

TOKEN = "s3cret-test-token"


def catalog_yaml(cache_control, objects=100, service_ms=0):
    service = ""
    if service_ms:
        service = f"""  service_time:
    distribution: fixed
    value: {service_ms}ms
"""
    return f"""catalog:
  objects: {objects}
  seed: 7
  size:
    distribution: fixed
    value: 2KiB
  cache_control:
    - {{weight: 1, value: "{cache_control}"}}
  uncacheable:
    share: 0
{service}"""


class Topology:
    """An origin with a given Cache-Control for every object, and PoPs in front of it."""

    def __init__(self, cache_control="max-age=60", service_ms=0, objects=100):
        self.dir = tempfile.TemporaryDirectory()
        path = os.path.join(self.dir.name, "catalog.yaml")
        with open(path, "w") as f:
            f.write(catalog_yaml(cache_control, objects, service_ms))
        self.origin = Proc(["origin", "--catalog", path, "--listen", "127.0.0.1:0"])
        self.pops = []

    def pop(self, upstream=None, workers=1, pop_id="pop1", extra=(), env=None):
        up = upstream or self.origin.url()
        env_all = dict(os.environ)
        env_all["CDNLAB_ADMIN_TOKEN"] = TOKEN
        if env:
            env_all.update(env)
        p = Proc(["pop", "--upstream", up, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                  "--capacity", "64MiB", "--workers", str(workers), "--id", pop_id] + list(extra),
                 ready=("http", "admin"), env=env_all)
        self.pops.append(p)
        return p

    def origin_requests(self):
        return metric_sum(fetch_text(self.origin.url() + "/metrics"), "cdnlab_origin_requests_total")

    def close(self):
        for p in self.pops:
            p.stop()
        self.origin.stop()
        self.dir.cleanup()


def fetch_text(url, method="GET", headers=None):
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode()
    except urllib.error.HTTPError as e:
        return e.read().decode()


def metric_sum(text, name):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def metric(text, series):
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no series {series} in metrics")


def admin(pop, method, path, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    req = urllib.request.Request(pop.url("admin") + path, method=method, headers=headers, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def poll(fn, timeout=10.0, every=0.1):
    """Calls fn until it returns a truthy value (bounded); returns that value or the last one."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(every)


def read_responses(sock, count, timeout=20.0):
    """Reads `count` HTTP/1.1 responses with Content-Length bodies; returns [(status, headers, body)]."""
    sock.settimeout(timeout)
    buf = b""
    out = []
    while len(out) < count:
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                return out
            buf += chunk
        head, _, buf = buf.partition(b"\r\n\r\n")
        lines = head.decode(errors="replace").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        while len(buf) < n:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
        out.append((status, headers, buf[:n]))
        buf = buf[n:]
    return out


class PopTest(unittest.TestCase):
    def setUp(self):
        self.topo = None

    def tearDown(self):
        if self.topo:
            self.topo.close()

    def test_miss_then_hit_with_growing_age(self):
        self.topo = Topology("max-age=60")
        pop = self.topo.pop()
        code, h, body = curl(pop.url() + "/obj/1")
        self.assertEqual(code, 200)
        self.assertEqual(h["x-cache"], "Miss")
        self.assertEqual(h["x-served-by"], "pop1")
        self.assertIn("upstream;dur=", h["server-timing"])
        self.assertEqual(len(body), 2048)
        code, h2, body2 = curl(pop.url() + "/obj/1")
        self.assertEqual(h2["x-cache"], "Hit")
        self.assertEqual(body2, body)
        self.assertEqual(h2["x-cache-hits"], "1")
        self.assertIn("etag", h2)
        # Age grows in real time: poll (bounded) until a hit reports Age >= 1.
        aged = poll(lambda: int(curl(pop.url() + "/obj/1")[1]["age"]) >= 1, timeout=5, every=0.25)
        self.assertTrue(aged, "Age did not grow")
        # HEAD is answered from the GET entry.
        code, h3, body3 = curl("-I", pop.url() + "/obj/1")
        self.assertEqual(h3["x-cache"], "Hit")
        self.assertEqual(h3["content-length"], "2048")
        self.assertEqual(self.topo.origin_requests(), 1)
        # A matching client conditional is a 304 from the cache.
        code, h4, _ = curl("-H", f"If-None-Match: {h['etag']}", pop.url() + "/obj/1")
        self.assertEqual(code, 304)
        self.assertEqual(self.topo.origin_requests(), 1)
        # POST is passed through.
        code, h5, _ = curl("-X", "POST", "-d", "x=1", pop.url() + "/obj/1")
        self.assertEqual(h5["x-cache"], "Pass")
        m = fetch_text(pop.url("admin") + "/metrics")
        self.assertEqual(metric(m, 'cdnlab_requests_total{outcome="Miss"}'), 1)
        self.assertGreaterEqual(metric(m, 'cdnlab_requests_total{outcome="Hit"}'), 3)
        self.assertIn("cdnlab_request_duration_seconds_bucket", m)
        self.assertEqual(pop.stop(), 0, "SIGTERM: graceful stop, exit 0")

    def test_purge(self):
        self.topo = Topology("max-age=600")
        pop = self.topo.pop()
        for i in (1, 10, 11, 2):
            curl(pop.url() + f"/obj/{i}")
        self.assertEqual(curl(pop.url() + "/obj/1")[1]["x-cache"], "Hit")
        status, _ = admin(pop, "POST", "/purge?url=/obj/1", token=None)
        self.assertEqual(status, 401)
        status, _ = admin(pop, "POST", "/purge?url=/obj/1", token="wrong")
        self.assertEqual(status, 401)
        status, body = admin(pop, "POST", "/purge?url=/obj/1")
        self.assertEqual(status, 200, body)
        self.assertRegex(body, r'"objects":1,"bytes":\d+')
        self.assertEqual(curl(pop.url() + "/obj/1")[1]["x-cache"], "Miss")
        # A full URL works too: its host is the PoP's, the path is what counts.
        status, body = admin(pop, "POST", "/purge?url=" + urllib.parse.quote(pop.url() + "/obj/2", safe=""))
        self.assertRegex(body, r'"objects":1')
        status, body = admin(pop, "POST", "/purge?prefix=/obj/1")  # /obj/1, /obj/10, /obj/11
        self.assertRegex(body, r'"objects":3')
        self.assertEqual(curl(pop.url() + "/obj/10")[1]["x-cache"], "Miss")
        status, body = admin(pop, "POST", "/purge?all=1")
        self.assertEqual(status, 200)
        self.assertRegex(body, r'"objects":1[,}]')
        m = fetch_text(pop.url("admin") + "/metrics")
        self.assertEqual(metric(m, "cdnlab_cache_objects"), 0)

    def test_stale_if_error_when_origin_is_down(self):
        self.topo = Topology("max-age=1, stale-if-error=300")
        pop = self.topo.pop(extra=["--upstream-connect-timeout", "500ms"])
        code, h, body = curl(pop.url() + "/obj/3")
        self.assertEqual(h["x-cache"], "Miss")
        self.topo.origin.stop()  # by PID
        # Once the entry is stale (max-age=1), the failed upstream makes the PoP serve it stale.
        def stale():
            c, hh, b = curl(pop.url() + "/obj/3")
            return (c, hh, b) if hh["x-cache"] == "Stale" else None
        got = poll(stale, timeout=6, every=0.25)
        self.assertTrue(got, "never served stale")
        c, hh, b = got
        self.assertEqual(c, 200)
        self.assertEqual(b, body)
        # Nothing stored for another object: refused upstream -> 502 with a reason.
        c, hh, b = curl(pop.url() + "/obj/4")
        self.assertEqual(c, 502)
        self.assertEqual(hh["x-cache"], "Error")
        self.assertIn(b"upstream", b)

    def test_revalidation_with_etag(self):
        self.topo = Topology("max-age=1")
        pop = self.topo.pop()
        self.assertEqual(curl(pop.url() + "/obj/5")[1]["x-cache"], "Miss")
        got = poll(lambda: curl(pop.url() + "/obj/5")[1]["x-cache"] == "Revalidated", timeout=5, every=0.3)
        self.assertTrue(got, "a stale entry with an ETag was not revalidated")
        m = fetch_text(self.topo.origin.url() + "/metrics")
        self.assertGreaterEqual(metric_sum(m, "cdnlab_origin_not_modified_total"), 1)

    def test_thousand_concurrent_misses_make_one_origin_request(self):
        # The origin takes 1 s per request, so all 1000 requests arrive while the fill is in flight.
        self.topo = Topology("max-age=600", service_ms=1000)
        pop = self.topo.pop(workers=2)
        before = self.topo.origin_requests()
        host, port = pop.addr["http"]
        conns, per_conn = 100, 10  # 100 connections x 10 pipelined requests = 1000 concurrent
        request = b"GET /obj/42 HTTP/1.1\r\nHost: x\r\n\r\n" * per_conn
        results = [None] * conns

        def client(i):
            with socket.create_connection((host, port), timeout=20) as s:
                s.sendall(request)
                results[i] = read_responses(s, per_conn)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(conns)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        statuses = [r[0] for res in results if res for r in res]
        self.assertEqual(len(statuses), 1000)
        self.assertEqual(set(statuses), {200})
        self.assertEqual(self.topo.origin_requests() - before, 1, "1000 concurrent misses -> one origin fetch")
        outcomes = {}
        for res in results:
            for _, h, _ in res:
                outcomes[h["x-cache"]] = outcomes.get(h["x-cache"], 0) + 1
        self.assertEqual(outcomes.get("Miss"), 1, outcomes)

    def test_pipelined_requests_answered_in_order(self):
        self.topo = Topology("max-age=60")
        pop = self.topo.pop()
        want = {}
        for i in (7, 8, 9):
            want[i] = curl(self.topo.origin.url() + f"/obj/{i}")[1]["etag"]
        with socket.create_connection(pop.addr["http"], timeout=10) as s:
            s.sendall(b"".join(f"GET /obj/{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for i in (7, 8, 9, 7)))
            got = read_responses(s, 4)
        self.assertEqual([h["etag"] for _, h, _ in got], [want[7], want[8], want[9], want[7]])
        # The repeat of /obj/7 is served by the cache: a hit, or collapsed into the first fetch
        # when the server dispatched both pipelined requests before that fetch finished.
        self.assertIn(got[3][1]["x-cache"], ("Hit", "Collapsed"))
        self.assertEqual(got[3][2], got[0][2])

    def test_malformed_input_gets_its_status_and_pop_keeps_serving(self):
        self.topo = Topology("max-age=60")
        pop = self.topo.pop()
        addr = pop.addr["http"]
        cases = [
            ("oversized header", b"GET /obj/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n", 431),
            ("long URL", b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            ("big body", b"POST /obj/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n", 413),
            ("CL+TE", b"POST /obj/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
            ("bad chunk", b"POST /obj/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
        ]
        for name, data, status in cases:
            with self.subTest(name):
                reply = raw_request(addr, data)
                self.assertTrue(reply.startswith(f"HTTP/1.1 {status} ".encode()), f"{name}: {reply[:80]!r}")
                code, h, _ = curl(pop.url() + "/obj/1")
                self.assertEqual(code, 200, f"PoP stopped serving after {name}")

    def test_hit_ratio_does_not_drop_with_more_workers(self):
        self.topo = Topology("max-age=600", objects=1000)
        sequence = [(i * 7919) % 60 for i in range(300)]  # 60 objects, each requested 5 times

        def hit_ratio(pop):
            hits = 0
            # Several keep-alive connections so that SO_REUSEPORT spreads them over the workers.
            socks = [socket.create_connection(pop.addr["http"], timeout=10) for _ in range(6)]
            try:
                for n, obj in enumerate(sequence):
                    s = socks[n % len(socks)]
                    s.sendall(f"GET /obj/{obj} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                    (status, h, _), = read_responses(s, 1)
                    hits += h["x-cache"] == "Hit"
            finally:
                for s in socks:
                    s.close()
            return hits / len(sequence)

        one = hit_ratio(self.topo.pop(workers=1, pop_id="w1"))
        two = hit_ratio(self.topo.pop(workers=2, pop_id="w2"))
        self.assertAlmostEqual(one, 240 / 300)
        self.assertGreaterEqual(two, one, "workers share one cache")

    def test_two_tier_chain_edge_miss_is_shield_hit(self):
        self.topo = Topology("max-age=600")
        shield = self.topo.pop(pop_id="shield1")
        edge = self.topo.pop(upstream=shield.url(), pop_id="edge1")
        # Warm the shield directly, let time pass, then the edge's miss is the shield's hit.
        self.assertEqual(curl(shield.url() + "/obj/12")[1]["x-cache"], "Miss")
        time.sleep(1.1)  # Age propagation needs whole seconds to pass on the shield
        code, h, _ = curl(edge.url() + "/obj/12")
        self.assertEqual(code, 200)
        self.assertEqual(h["x-cache"], "Hit, Miss")
        self.assertEqual(h["x-served-by"], "shield1, edge1")
        self.assertGreaterEqual(int(h["age"]), 1, "the edge continues the shield's Age")
        code, h2, _ = curl(edge.url() + "/obj/12")
        self.assertEqual(h2["x-cache"], "Hit, Hit")
        self.assertEqual(self.topo.origin_requests(), 1)
        # A chain that loops back is refused, not forwarded forever.
        code, h3, _ = curl("-H", "CDN-Loop: edge1", edge.url() + "/obj/13")
        self.assertEqual(code, 508)


if __name__ == "__main__":
    main()
