"""End-to-end: what a CDN engineer sees with curl through a real `cdnlab pop` in front of a small
scripted origin (Python's http.server on loopback, so each response's fields are exact):
the origin's Date kept on hits, heuristic freshness, 103 Early Hints forwarded (never cached), invalidation by POST, CDN-Cache-Control
precedence and stripping, byte ranges from the cache, purge by tag on the admin listener, and
cache_removals_total by cause."""
import email.utils
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, curl, main  # noqa: E402

BODY = b"0123456789abcdefghij"


class Origin(http.server.ThreadingHTTPServer):
    """Answers from `routes`: path -> (status, headers dict, body). Counts requests per path."""

    daemon_threads = True

    def __init__(self):
        self.routes = {}
        self.hits = {}
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), Handler)

    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def count(self, path):
        with self.lock:
            return self.hits.get(path, 0)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with self.server.lock:
            self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
            status, headers, body = self.server.routes.get(self.path, (404, {"Cache-Control": "no-store"}, b"nope"))
        headers = dict(headers)
        hint = headers.pop("X-Test-Early-Hint", None)
        if hint:  # a 103 Early Hints interim response before the final one
            self.wfile.write(b"HTTP/1.1 103 Early Hints\r\nLink: " + hint.encode() + b"\r\n\r\n")
            self.wfile.flush()
        self.send_response_only(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = answer


def http_date(offset_s=0):
    return email.utils.formatdate(time.time() + offset_s, usegmt=True)


def admin_post(pop, query):
    req = urllib.request.Request(pop.url("admin") + "/purge?" + query, method="POST", data=b"")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def metrics(pop):
    with urllib.request.urlopen(pop.url("admin") + "/metrics", timeout=10) as r:
        return r.read().decode()


class PopRfc9111Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.origin = Origin()
        cls.thread = threading.Thread(target=cls.origin.serve_forever, daemon=True)
        cls.thread.start()
        cls.pop = Proc(["pop", "--upstream", cls.origin.url(), "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                        "--workers", "1", "--id", "pop1", "--heuristic", "--strip-targeted-cache-control",
                        "--surrogate-key-header", "Cache-Tag"], ready=("http", "admin"), env=dict(os.environ, CDNLAB_ADMIN_TOKEN=""))

    @classmethod
    def tearDownClass(cls):
        cls.pop.stop()
        cls.origin.shutdown()
        cls.origin.server_close()

    def route(self, path, status=200, body=BODY, **headers):
        self.origin.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)

    def get(self, path, *args):
        return curl(*args, self.pop.url() + path)

    def test_origin_date_is_kept_and_age_counts_from_it(self):
        date = http_date(-30)
        self.route("/date", Cache_Control="max-age=600", Date=date)
        code, h, _ = self.get("/date")
        self.assertEqual((code, h["x-cache"], h["date"]), (200, "Miss", date))
        code, h, _ = self.get("/date")
        self.assertEqual((h["x-cache"], h["date"]), ("Hit", date))
        self.assertGreaterEqual(int(h["age"]), 30, "Age includes the time since the origin's Date")

    def test_heuristic_freshness(self):
        self.route("/heur", Date=http_date(), Last_Modified=http_date(-86400))
        self.get("/heur")
        code, h, _ = self.get("/heur")
        self.assertEqual((code, h["x-cache"]), (200, "Hit"))
        self.assertEqual(self.origin.count("/heur"), 1)

    def test_post_invalidates_target_and_location(self):
        self.route("/inv", Cache_Control="max-age=600")
        self.route("/inv2", Cache_Control="max-age=600")
        self.get("/inv")
        self.get("/inv2")
        self.origin.routes["/inv"] = (201, {"Location": "/inv2"}, b"created")
        code, _, _ = curl("-X", "POST", "-d", "x", self.pop.url() + "/inv")
        self.assertEqual(code, 201)
        self.route("/inv", Cache_Control="max-age=600")
        for path in ("/inv", "/inv2"):
            _, h, _ = self.get(path)
            self.assertEqual(h["x-cache"], "Miss", path)

    def test_cdn_cache_control_precedence_and_strip(self):
        self.route("/cdncc", Cache_Control="no-store", CDN_Cache_Control="max-age=600")
        self.get("/cdncc")
        code, h, _ = self.get("/cdncc")
        self.assertEqual(h["x-cache"], "Hit")
        self.assertEqual(h["cache-control"], "no-store")
        self.assertNotIn("cdn-cache-control", h)

    def test_ranges_from_cache(self):
        self.route("/range", Cache_Control="max-age=600", Content_Type="text/plain", ETag='"r1"')
        code, h, body = self.get("/range", "-r", "5-9")  # a miss: fetched whole, range cut out
        self.assertEqual((code, h["content-range"], body), (206, "bytes 5-9/20", b"56789"))
        code, h, body = self.get("/range", "-r", "-3")
        self.assertEqual((code, h["x-cache"], body), (206, "Hit", b"hij"))
        code, h, body = self.get("/range", "-r", "0-1,18-")
        self.assertEqual(code, 206)
        self.assertTrue(h["content-type"].startswith("multipart/byteranges; boundary="))
        self.assertIn(b"Content-Range: bytes 18-19/20\r\n\r\nij", body)
        code, h, _ = self.get("/range", "-r", "50-")
        self.assertEqual((code, h["content-range"]), (416, "bytes */20"))
        code, h, body = self.get("/range", "-r", "0-1", "-H", 'If-Range: "old"')
        self.assertEqual((code, body), (200, BODY))
        code, h, body = self.get("/range")
        self.assertEqual((code, h.get("accept-ranges"), body), (200, "bytes", BODY))
        self.assertEqual(self.origin.count("/range"), 1)

    def test_early_hints_are_forwarded_and_never_cached(self):
        self.route("/hints", Cache_Control="max-age=600", X_Test_Early_Hint="</app.css>; rel=preload")
        cmd = ["curl", "-sS", "-D", "-", "-o", "/dev/null", "--max-time", "10", self.pop.url() + "/hints"]
        first = subprocess.run(cmd, capture_output=True, timeout=15).stdout
        self.assertTrue(first.startswith(b"HTTP/1.1 103 "), first[:200])
        self.assertIn(b"Link: </app.css>; rel=preload", first.split(b"\r\n\r\n", 1)[0])
        self.assertIn(b"HTTP/1.1 200 ", first)
        second = subprocess.run(cmd, capture_output=True, timeout=15).stdout
        self.assertTrue(second.startswith(b"HTTP/1.1 200 "), second[:200])
        self.assertIn(b"X-Cache: Hit", second)
        self.assertNotIn(b"app.css", second)

    def test_purge_by_tag_and_removal_counters(self):
        self.route("/tag1", Cache_Control="max-age=600", Cache_Tag="red, shared")
        self.route("/tag2", Cache_Control="max-age=600", Cache_Tag="blue,shared")
        self.get("/tag1")
        self.get("/tag2")
        before = metrics(self.pop)
        self.assertIn('cdnlab_cache_removals_total{cause="purge"}', before)
        self.assertEqual(admin_post(self.pop, "tag=red")["purged"]["objects"], 1)
        self.assertEqual(self.get("/tag2")[1]["x-cache"], "Hit")
        self.assertEqual(admin_post(self.pop, "tag=shared")["purged"]["objects"], 1)
        self.assertEqual(self.get("/tag1")[1]["x-cache"], "Miss")

        def purged(text):
            for line in text.splitlines():
                if line.startswith('cdnlab_cache_removals_total{cause="purge"}'):
                    return float(line.split()[-1])
            return None
        self.assertGreaterEqual(purged(metrics(self.pop)) - purged(before), 2)


if __name__ == "__main__":
    main()
