"""End-to-end: the range-fill cap (`cdnlab pop --range-fill-max`, docs/request-path.md). A Range
miss for an object within the cap fills the whole object (one upstream request, stored, later
ranges are hits); above the cap the client's own Range goes upstream and nothing is stored.
The scripted origin serves byte ranges itself and records the Range of every request."""
import http.server
import os
import re
import sys
import threading
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, curl, main  # noqa: E402

SMALL = bytes(range(256)) * 2      # 512 bytes: within the 1 KiB cap
LARGE = bytes(range(256)) * 16     # 4 KiB: above it


class Origin(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.ranges = []  # (path, Range header or None)
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), Handler)

    def seen(self, path):
        with self.lock:
            return [r for p, r in self.ranges if p == path]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = SMALL if self.path == "/small" else LARGE
        rng = self.headers.get("Range")
        with self.server.lock:
            self.server.ranges.append((self.path, rng))
        status, extra = 200, {}
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng or "")
        if m:
            first = int(m.group(1))
            last = min(int(m.group(2)) if m.group(2) else len(body) - 1, len(body) - 1)
            if first >= len(body):
                status, body, extra = 416, b"", {"Content-Range": f"bytes */{len(body)}"}
            else:
                status, extra = 206, {"Content-Range": f"bytes {first}-{last}/{len(body)}"}
                body = body[first:last + 1]
        self.send_response_only(status)
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("ETag", '"v1"')
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class RangeFillTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.origin = Origin()
        threading.Thread(target=cls.origin.serve_forever, daemon=True).start()
        cls.pop = Proc(["pop", "--upstream", f"http://127.0.0.1:{cls.origin.server_address[1]}",
                        "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--workers", "1",
                        "--range-fill-max", "1KiB"], ready=("http", "admin"), env=dict(os.environ, CDNLAB_ADMIN_TOKEN=""))

    @classmethod
    def tearDownClass(cls):
        cls.pop.stop()
        cls.origin.shutdown()
        cls.origin.server_close()

    def test_small_object_is_filled_whole_and_stored(self):
        code, h, body = curl("-H", "Range: bytes=10-19", self.pop.url() + "/small")
        self.assertEqual((code, h["x-cache"], h["content-range"], body), (206, "Miss", "bytes 10-19/512", SMALL[10:20]))
        self.assertEqual(self.origin.seen("/small"), ["bytes=0-1023"], "one probe covering the whole object")
        code, h, body = curl("-H", "Range: bytes=-5", self.pop.url() + "/small")
        self.assertEqual((code, h["x-cache"], body), (206, "Hit", SMALL[-5:]))
        code, h, body = curl(self.pop.url() + "/small")
        self.assertEqual((code, h["x-cache"], body), (200, "Hit", SMALL), "stored as the full 200")
        self.assertEqual(len(self.origin.seen("/small")), 1)

    def test_large_object_forwards_the_clients_range_and_is_not_stored(self):
        code, h, body = curl("-H", "Range: bytes=100-199", self.pop.url() + "/large")
        self.assertEqual((code, h["x-cache"], h["content-range"], body), (206, "Miss", "bytes 100-199/4096", LARGE[100:200]))
        self.assertEqual(self.origin.seen("/large"), ["bytes=0-1023", "bytes=100-199"])
        code, h, body = curl("-H", "Range: bytes=5000-", self.pop.url() + "/large")
        self.assertEqual((code, h["content-range"]), (416, "bytes */4096"), "the origin's 416 is forwarded")
        code, h, body = curl("-H", "Range: bytes=100-199", self.pop.url() + "/large")
        self.assertEqual(h["x-cache"], "Miss", "nothing was stored")
        with urllib.request.urlopen(self.pop.url("admin") + "/metrics", timeout=10) as r:
            self.assertRegex(r.read().decode(), r"cdnlab_range_passthroughs_total [3-9]")


if __name__ == "__main__":
    main()
