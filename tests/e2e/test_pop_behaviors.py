"""End-to-end: one `cdnlab pop --behaviors FILE` with two behaviors in front of two scripted
origins (docs/behaviors.md): /api/* to one origin (short TTLs, a query-string whitelist, a header
and a cookie in the key, an extra forwarded header, all methods), /static/* to the other (long
TTLs, an origin-response edge function), the default to the second. Asserts Miss/Hit, what the
key holds, what is forwarded, TTL clamping both ways, POST never cached, 403 for a method the
behavior does not allow, per-behavior metrics and the access log's behavior field."""
import http.server
import json
import os
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, curl, main  # noqa: E402


class Origin(http.server.ThreadingHTTPServer):
    """Answers every request with `cache_control` (None: no field) and records what it saw."""

    daemon_threads = True

    def __init__(self, name):
        self.name = name
        self.seen = []  # (method, path, headers dict lower-case, body)
        self.cache_control = {}  # path prefix -> Cache-Control value
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), Handler)

    def url(self, base=""):
        return f"http://127.0.0.1:{self.server_address[1]}{base}"

    def requests_for(self, path):
        with self.lock:
            return [s for s in self.seen if s[1] == path]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with self.server.lock:
            self.server.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            n = len(self.server.seen)
            cc = None
            for prefix, value in self.server.cache_control.items():
                if self.path.split("?")[0].endswith(prefix):
                    cc = value
        out = f"{self.server.name} {self.command} {self.path} #{n}".encode()
        self.send_response_only(200)
        if cc:
            self.send_header("Cache-Control", cc)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(out)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = answer


BEHAVIORS = """origins:
  api: {api}
  assets: {assets}
behaviors:
  - path_pattern: /api/*
    origin: api
    allowed_methods: all
    cache_policy:
      min_ttl: 0s
      default_ttl: 3s
      max_ttl: 3s
      query_strings: [id]
      headers: [Accept-Language]
      cookies: [lang]
    origin_request:
      headers: [X-Api-Key]
  - path_pattern: static/*
    origin: assets
    cache_policy: {{min_ttl: 1h, default_ttl: 1d, max_ttl: 7d}}
    functions:
      origin-response: builtin:security-headers
  - origin: assets
"""


class PopBehaviorsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.api = Origin("api")
        cls.assets = Origin("assets")
        for o in (cls.api, cls.assets):
            threading.Thread(target=o.serve_forever, daemon=True).start()
        cls.tmp = tempfile.TemporaryDirectory()
        path = os.path.join(cls.tmp.name, "behaviors.yaml")
        with open(path, "w") as f:
            f.write(BEHAVIORS.format(api=cls.api.url("/prod"), assets=cls.assets.url()))
        cls.log = os.path.join(cls.tmp.name, "access.log")
        cls.pop = Proc(["pop", "--behaviors", path, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                        "--workers", "1", "--id", "popb", "--access-log", cls.log],
                       ready=("http", "admin"), env=dict(os.environ, CDNLAB_ADMIN_TOKEN=""))

    @classmethod
    def tearDownClass(cls):
        cls.pop.stop()
        for o in (cls.api, cls.assets):
            o.shutdown()
            o.server_close()
        cls.tmp.cleanup()

    def get(self, path, *args):
        return curl(*args, self.pop.url() + path)

    def test_api_key_holds_only_the_whitelisted_query_header_and_cookie(self):
        code, h, body = self.get("/api/p?utm=a&id=1", "-H", "X-Api-Key: k1", "-H", "X-Other: o",
                                 "-H", "Cookie: track=9; lang=en")
        self.assertEqual((code, h["x-cache"]), (200, "Miss"))
        seen = self.api.requests_for("/prod/api/p?id=1")
        self.assertEqual(len(seen), 1, "the origin's base path is prefixed, only the keyed query is forwarded")
        headers = seen[0][2]
        self.assertEqual(headers.get("x-api-key"), "k1", "origin_request header forwarded")
        self.assertNotIn("x-other", headers, "a header in neither policy is not forwarded")
        self.assertEqual(headers.get("cookie"), "lang=en", "only the keyed cookie is forwarded")
        # Values outside the key share the entry.
        code, h, _ = self.get("/api/p?id=1&utm=b", "-H", "Cookie: lang=en; track=10", "-H", "X-Other: p")
        self.assertEqual(h["x-cache"], "Hit")
        # Each keyed value makes its own entry.
        self.assertEqual(self.get("/api/p?id=2", "-H", "Cookie: lang=en")[1]["x-cache"], "Miss")
        self.assertEqual(self.get("/api/p?id=1", "-H", "Cookie: lang=de")[1]["x-cache"], "Miss")
        self.assertEqual(self.get("/api/p?id=1", "-H", "Cookie: lang=en", "-H", "Accept-Language: fr")[1]["x-cache"], "Miss")
        self.assertEqual(self.get("/api/p?id=1", "-H", "Cookie: lang=en", "-H", "Accept-Language: fr")[1]["x-cache"], "Hit")

    def test_ttls_are_clamped_to_the_behavior(self):
        # /api/*: the origin's max-age=3600 is capped at max_ttl 3s. /static/*: its max-age=1 is
        # raised to min_ttl 1h, and its no-store is overridden (CloudFront's min-TTL rule).
        self.api.cache_control["/api/long"] = "max-age=3600"
        self.assets.cache_control["/static/short.css"] = "max-age=1"
        self.assets.cache_control["/static/nostore.css"] = "no-store"
        for p in ("/api/long", "/static/short.css", "/static/nostore.css"):
            self.assertEqual(self.get(p)[1]["x-cache"], "Miss", p)
            self.assertEqual(self.get(p)[1]["x-cache"], "Hit", p)
        start = time.monotonic()
        while self.get("/api/long")[1]["x-cache"] == "Hit":
            self.assertLess(time.monotonic() - start, 15, "max_ttl 3s should have ended the hits")
            time.sleep(0.2)
        self.assertEqual(len(self.api.requests_for("/prod/api/long")), 2)
        # Past the origin's max-age=1: still a hit under min_ttl 1h.
        code, h, _ = self.get("/static/short.css")
        self.assertEqual(h["x-cache"], "Hit")
        self.assertGreaterEqual(int(h["age"]), 1)
        self.assertEqual(self.get("/static/nostore.css")[1]["x-cache"], "Hit")
        self.assertEqual(len(self.assets.requests_for("/static/short.css")), 1)

    def test_default_ttl_applies_without_origin_freshness(self):
        self.assertEqual(self.get("/api/plain")[1]["x-cache"], "Miss")
        self.assertEqual(self.get("/api/plain")[1]["x-cache"], "Hit")

    def test_post_is_forwarded_never_cached(self):
        for i in range(2):
            code, h, body = self.get("/api/orders", "-X", "POST", "-H", "Content-Type: application/json",
                                     "-H", "X-Junk: 1", "--data", '{"n":%d}' % i)
            self.assertEqual((code, h["x-cache"]), (200, "Pass"))
        seen = self.api.requests_for("/prod/api/orders")
        self.assertEqual([s[0] for s in seen], ["POST", "POST"])
        self.assertEqual(seen[1][3], b'{"n":1}')
        self.assertEqual(seen[1][2].get("content-type"), "application/json")
        self.assertNotIn("x-junk", seen[1][2])
        self.assertEqual(self.get("/api/orders")[1]["x-cache"], "Miss", "a GET after the POSTs is not served from them")
        # RFC 9111 4.4 under a behavior: a POST invalidates the entry its URL keys to (only id is in the key).
        self.assertEqual(self.get("/api/orders?id=5")[1]["x-cache"], "Miss")
        self.assertEqual(self.get("/api/orders?id=5&utm=q")[1]["x-cache"], "Hit")
        self.get("/api/orders?utm=z&id=5", "-X", "POST", "--data", "{}")
        self.assertEqual(self.get("/api/orders?id=5")[1]["x-cache"], "Miss", "invalidated by the POST")

    def test_method_outside_the_behavior_is_refused(self):
        before = len(self.assets.requests_for("/static/x.css"))
        code, h, _ = self.get("/static/x.css", "-X", "POST", "--data", "x")
        self.assertEqual(code, 403)
        self.assertEqual(h.get("allow"), "GET, HEAD")
        self.assertEqual(len(self.assets.requests_for("/static/x.css")), before, "never forwarded")

    def test_default_behavior_and_per_behavior_function(self):
        code, h, body = self.get("/index.html")
        self.assertEqual((code, h["x-cache"]), (200, "Miss"))
        self.assertTrue(body.startswith(b"assets GET /index.html"))
        self.assertNotIn("strict-transport-security", h, "the function belongs to /static/* only")
        code, h, _ = self.get("/static/app.js")
        self.assertIn("strict-transport-security", h)
        # Selected on the normalised path: an escaped letter cannot leave /static/*.
        code, h, _ = self.get("/%73tatic/app.js")
        self.assertEqual(h["x-cache"], "Hit")
        self.assertIn("strict-transport-security", h)

    def test_metrics_and_access_log_name_the_behavior(self):
        self.get("/api/m?id=7")
        self.get("/api/m?id=7")
        with urllib.request.urlopen(self.pop.url("admin") + "/metrics", timeout=10) as r:
            text = r.read().decode()
        counts = {}
        for line in text.splitlines():
            if line.startswith("cdnlab_behavior_requests_total{"):
                labels, value = line.rsplit(" ", 1)
                counts[labels] = int(value)
        self.assertGreaterEqual(counts['cdnlab_behavior_requests_total{behavior="api",outcome="Hit"}'], 1)
        self.assertIn('cdnlab_behavior_requests_total{behavior="default",outcome="Miss"}', counts)
        self.assertIn('cdnlab_behavior_requests_total{behavior="static",outcome="Hit"}', counts)
        with open(self.log) as f:
            lines = f.read().splitlines()
        fields = lines[1].split(" ")[1:]
        self.assertEqual(fields[-1], "cache-behavior-path-pattern")
        self.assertEqual(len(fields), 34)
        rows = [dict(zip(fields, l.split("\t"))) for l in lines[2:]]
        mine = [r for r in rows if r["cs-uri-stem"] == "/api/m"]
        self.assertEqual([r["cache-behavior-path-pattern"] for r in mine], ["/api/*", "/api/*"])
        self.assertEqual([r["x-edge-result-type"] for r in mine], ["Miss", "Hit"])


if __name__ == "__main__":
    main()
