"""End-to-end: the real `cdnlab origin` on an ephemeral loopback port, talked to with curl.

Covers the catalog origin's HTTP surface: 200 with its headers, HEAD, 304 on If-None-Match and
If-Modified-Since, 404 for unknown ids (briefly cacheable), 405 with Allow, /metrics counting
what was asked, service time, a bad config file (exit 2 with file:line:column: field), SIGTERM
(exit 0).
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, Proc, curl, main, raw_request  # noqa: E402

CATALOG = """\
catalog:
  objects: 50
  seed: 7
  size: {distribution: uniform, min: 1KiB, max: 4KiB}
  cache_control:
    - {weight: 1, max_age: 5m}
  uncacheable: {share: 0}
  last_modified: 2026-01-01T00:00:00Z
"""


def write_temp(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    f.write(text)
    f.close()
    return f.name


def metrics(url):
    code, _, body = curl(url + "/metrics")
    assert code == 200
    out = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = int(value)
    return out


class OriginTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.catalog = write_temp(CATALOG)
        cls.proc = Proc(["origin", "--catalog", cls.catalog, "--listen", "127.0.0.1:0", "--workers", "2"])
        cls.url = cls.proc.url()

    @classmethod
    def tearDownClass(cls):
        cls.proc.stop()
        os.unlink(cls.catalog)

    def test_get_object(self):
        code, h, body = curl(self.url + "/obj/1")
        self.assertEqual(code, 200)
        self.assertEqual(h["content-type"], "application/octet-stream")
        self.assertEqual(int(h["content-length"]), len(body))
        self.assertTrue(1024 <= len(body) <= 4096)
        self.assertEqual(h["cache-control"], "max-age=300")
        self.assertRegex(h["etag"], r'^"[0-9a-f]{16}"$')
        self.assertRegex(h["last-modified"], r"^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$")
        self.assertIn("date", h)
        # Deterministic: the same bytes and validators every time.
        code2, h2, body2 = curl(self.url + "/obj/1")
        self.assertEqual((h2["etag"], body2), (h["etag"], body))
        _, h3, body3 = curl(self.url + "/obj/2")
        self.assertNotEqual(h3["etag"], h["etag"])

    def test_head(self):
        _, h, body = curl(self.url + "/obj/3")
        code, hh, _ = curl("-I", self.url + "/obj/3")  # (with -I curl prints the head twice)
        self.assertEqual(code, 200)
        self.assertEqual(int(hh["content-length"]), len(body))
        self.assertEqual(hh["etag"], h["etag"])
        # On the wire: a HEAD answer carries no body, the next response follows the head directly.
        out = raw_request(self.proc.addr["http"],
                          b"HEAD /obj/3 HTTP/1.1\r\nHost: x\r\n\r\nGET /obj/0 HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n")
        first, _, rest = out.partition(b"\r\n\r\n")
        self.assertTrue(first.startswith(b"HTTP/1.1 200"), first)
        self.assertTrue(rest.startswith(b"HTTP/1.1 200"), rest[:40])

    def test_conditional_304(self):
        _, h, _ = curl(self.url + "/obj/4")
        code, h304, body = curl("-H", "If-None-Match: " + h["etag"], self.url + "/obj/4")
        self.assertEqual(code, 304)
        self.assertEqual(body, b"")
        self.assertEqual(h304["etag"], h["etag"])
        self.assertEqual(h304["cache-control"], "max-age=300")
        code, _, _ = curl("-H", "If-Modified-Since: " + h["last-modified"], self.url + "/obj/4")
        self.assertEqual(code, 304)
        code, _, body = curl("-H", 'If-None-Match: "nope"', self.url + "/obj/4")
        self.assertEqual(code, 200)
        self.assertGreater(len(body), 0)

    def test_unknown_id_is_briefly_cacheable_404(self):
        for path in ("/obj/50", "/obj/999999", "/obj/abc", "/nothing"):
            code, h, _ = curl(self.url + path)
            self.assertEqual(code, 404, path)
            self.assertEqual(h["cache-control"], "max-age=10", path)

    def test_post_is_405_with_allow(self):
        code, h, _ = curl("-X", "POST", "-d", "x=1", self.url + "/obj/1")
        self.assertEqual(code, 405)
        self.assertEqual(h["allow"], "GET, HEAD")

    def test_metrics_count_what_was_requested(self):
        before = metrics(self.url)
        _, _, b1 = curl(self.url + "/obj/10")
        _, _, b2 = curl(self.url + "/obj/11")
        _, h, _ = curl(self.url + "/obj/12")
        curl("-H", "If-None-Match: " + h["etag"], self.url + "/obj/12")
        curl(self.url + "/obj/5000")
        curl("-I", self.url + "/obj/10")
        after = metrics(self.url)
        d = {k: after[k] - before.get(k, 0) for k in after}
        self.assertEqual(d['cdnlab_origin_requests_total{status="200"}'], 4)
        self.assertEqual(d['cdnlab_origin_requests_total{status="304"}'], 1)
        self.assertEqual(d['cdnlab_origin_requests_total{status="404"}'], 1)
        self.assertEqual(d["cdnlab_origin_not_modified_total"], 1)
        # Every body sent counts (the 404's too); HEAD and 304 send none. /obj/12 was sent twice.
        _, _, b3 = curl(self.url + "/obj/12")
        _, _, b404 = curl(self.url + "/obj/5000")
        after2 = metrics(self.url)
        self.assertEqual(after2["cdnlab_origin_body_bytes_total"] - before["cdnlab_origin_body_bytes_total"],
                         len(b1) + len(b2) + 2 * len(b3) + 2 * len(b404))
        self.assertEqual(after["cdnlab_origin_catalog_objects"], 50)

    def test_keep_alive_pipelined(self):
        host, port = self.proc.addr["http"]
        req = b"GET /obj/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /obj/99 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        out = raw_request((host, port), req)
        statuses = re.findall(rb"HTTP/1.1 (\d{3}) ", out)
        self.assertEqual(statuses, [b"200", b"404"])


class OriginProcessTest(unittest.TestCase):
    def test_bad_config_exits_2_naming_file_line_field(self):
        path = write_temp("catalog:\n  objects: 10\n  size:\n    distribution: uniform\n    min: 4KiB\n    mx: 1KiB\n")
        try:
            r = subprocess.run([BIN, "origin", "--catalog", path, "--listen", "127.0.0.1:0"],
                               capture_output=True, text=True, timeout=20)
        finally:
            os.unlink(path)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{path}:6:5: catalog.size.mx: unknown key (did you mean 'max'?)", r.stderr)
        self.assertIn("catalog.size.max: required size is missing", r.stderr)

    def test_wrong_type_and_missing_file(self):
        path = write_temp("catalog:\n  objects: lots\n")
        try:
            r = subprocess.run([BIN, "origin", "--catalog", path], capture_output=True, text=True, timeout=20)
        finally:
            os.unlink(path)
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"{path}:2:12: catalog.objects: expected an integer", r.stderr)
        r = subprocess.run([BIN, "origin", "--catalog", "/nonexistent.yaml"], capture_output=True, text=True,
                           timeout=20)
        self.assertEqual(r.returncode, 2)
        self.assertIn("/nonexistent.yaml: cannot open config file", r.stderr)

    def test_default_config_and_service_time(self):
        # configs/catalog.yaml's catalog has a 1-50 ms service time (median 5 ms).
        cfg = os.path.join(os.environ.get("CDNLAB_SOURCE", "."), "configs", "catalog.yaml")
        with Proc(["origin", "--catalog", cfg, "--listen", "127.0.0.1:0", "--workers", "1"]) as p:
            t0 = time.monotonic()
            for i in range(10):
                code, _, _ = curl(p.url() + f"/obj/{i}")
                self.assertIn(code, (200,))
            elapsed = time.monotonic() - t0
            self.assertGreater(elapsed, 10 * 0.001)  # at least the 1 ms minimum each

    def test_sigterm_and_sigint_exit_0(self):
        cat = write_temp(CATALOG)
        try:
            for sig in (signal.SIGTERM, signal.SIGINT):
                p = Proc(["origin", "--catalog", cat, "--listen", "127.0.0.1:0"])
                code, _, _ = curl(p.url() + "/obj/1")
                self.assertEqual(code, 200)
                self.assertEqual(p.stop(sig), 0)
        finally:
            os.unlink(cat)


if __name__ == "__main__":
    main()
