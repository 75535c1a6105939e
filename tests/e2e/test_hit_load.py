"""End-to-end: the hit-path benchmark's load client (bench/hit-load/hit_load.c) tells the truth.
Built with cc as bench/hit-path.sh builds it, it drives a real `cdnlab pop` in front of a real
`cdnlab origin`: the responses it counts match the hits the PoP says it served, every body has
the object's size, and -n bounds the run. Against scripted servers it refuses what it cannot frame
(chunked bodies, a wrong size, bytes beyond a response) as errors and exits non-zero when nothing
succeeded, within its time bound; usage errors exit 2."""
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import SOURCE, Proc, main  # noqa: E402

CATALOG = """catalog:
  objects: 2
  seed: 1
  size: {distribution: fixed, value: 64KiB}
  cache_control:
    - {weight: 1, value: "public, max-age=86400"}
  uncacheable: {share: 0}
"""


def run_client(client, *args, timeout=30):
    p = subprocess.run([client] + [str(a) for a in args], capture_output=True, text=True,
                       timeout=timeout)
    kv = dict(item.split("=", 1) for item in p.stdout.split()) if p.returncode == 0 else {}
    return p.returncode, kv, p.stderr


class ScriptedServer:
    """Accepts connections and answers every request on them with the same raw bytes, each after
    `delay` seconds."""

    def __init__(self, reply: bytes, delay: float = 0):
        self.reply = reply
        self.delay = delay
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closing:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            buf = b""
            while not self.closing:
                try:
                    data = conn.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                buf += data
                while b"\r\n\r\n" in buf:
                    buf = buf.split(b"\r\n\r\n", 1)[1]
                    if self.delay:
                        time.sleep(self.delay)  # a slow server, the point of the test using it
                    try:
                        conn.sendall(self.reply)
                    except OSError:
                        return

    def close(self):
        self.closing = True
        self.sock.close()


class HitLoadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.client = os.path.join(cls.tmp.name, "hit_load")
        subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o", cls.client,
                        os.path.join(SOURCE, "bench", "hit-load", "hit_load.c")], check=True)
        catalog = os.path.join(cls.tmp.name, "catalog.yaml")
        with open(catalog, "w") as f:
            f.write(CATALOG)
        cls.origin = Proc(["origin", "--catalog", catalog, "--listen", "127.0.0.1:0", "--workers", "1"])
        cls.pop = Proc(["pop", "--upstream", cls.origin.url(), "--listen", "127.0.0.1:0",
                        "--admin", "127.0.0.1:0", "--workers", "1", "--id", "hitload"],
                       ready=("http", "admin"), env=dict(os.environ, CDNLAB_ADMIN_TOKEN=""))
        urllib.request.urlopen(cls.pop.url() + "/obj/1", timeout=10).read()  # fill the cache

    @classmethod
    def tearDownClass(cls):
        cls.pop.stop()
        cls.origin.stop()
        cls.tmp.cleanup()

    def hits(self):
        with urllib.request.urlopen(self.pop.url("admin") + "/metrics", timeout=10) as r:
            return int(re.search(r'^cdnlab_requests_total\{outcome="Hit"\} (\d+)', r.read().decode(),
                                 re.M).group(1))

    def test_counts_what_the_pop_served(self):
        before = self.hits()
        rc, kv, err = run_client(self.client, "-c", 4, "-d", 1, "-s", 65536, self.pop.url() + "/obj/1")
        served = self.hits() - before
        self.assertEqual(rc, 0, err)
        done = int(kv["requests"])
        self.assertGreater(done, 0)
        self.assertEqual((kv["errors"], kv["non2xx"]), ("0", "0"))
        # Responses still in flight at the deadline were served but not counted: at most one per
        # connection.
        self.assertLessEqual(done, served)
        self.assertGreaterEqual(done, served - 4)
        self.assertGreaterEqual(int(kv["bytes"]), done * 65536)
        p50, p99, top = float(kv["p50_ms"]), float(kv["p99_ms"]), float(kv["max_ms"])
        self.assertTrue(0 < p50 <= p99 <= top * 1.02, kv)

    def test_request_bound_is_exact(self):
        before = self.hits()
        rc, kv, err = run_client(self.client, "-c", 3, "-d", 20, "-n", 50, self.pop.url() + "/obj/1")
        self.assertEqual(rc, 0, err)
        self.assertEqual(kv["requests"], "50")
        self.assertEqual(self.hits() - before, 50)

    def test_wrong_body_size_is_an_error(self):
        rc, kv, err = run_client(self.client, "-c", 2, "-d", 1, "-s", 1000, self.pop.url() + "/obj/1")
        self.assertEqual(rc, 1)
        self.assertIn("body size differs from -s", err)

    def test_non_2xx_is_counted(self):
        rc, kv, err = run_client(self.client, "-c", 2, "-d", 1, "-n", 20, self.pop.url() + "/nothing-here")
        self.assertEqual(rc, 0, err)
        self.assertEqual((kv["requests"], kv["non2xx"]), ("20", "20"))

    def scripted(self, reply, *args):
        server = ScriptedServer(reply)
        try:
            return run_client(self.client, "-c", 2, "-d", 1, *args, f"http://127.0.0.1:{server.port}/x")
        finally:
            server.close()

    def test_chunked_response_is_refused_not_guessed(self):
        rc, _, err = self.scripted(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        self.assertEqual(rc, 1)
        self.assertIn("Transfer-Encoding", err)

    def test_bytes_beyond_the_response_are_an_error(self):
        rc, _, err = self.scripted(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA")
        self.assertEqual(rc, 1, err)
        self.assertIn("bytes beyond the response", err)

    def test_large_bodies_are_counted_to_the_byte(self):
        # Bodies past the 4 KiB head read and past one discarding read (256 KiB) are counted,
        # not copied: every byte of each response is accounted for, and the next response on
        # the connection still frames.
        body = 300_000
        head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % body
        rc, kv, err = self.scripted(head + b"x" * body, "-n", 20, "-s", body)
        self.assertEqual(rc, 0, err)
        self.assertEqual((kv["requests"], kv["errors"]), ("20", "0"))
        self.assertEqual(int(kv["bytes"]), 20 * (len(head) + body))

    def test_bytes_beyond_a_large_body_are_an_error(self):
        # The discarding read stops at the body's end, so what follows it is read as the next
        # head and refused, not silently dropped with the body.
        body = 100_000
        reply = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % body + b"x" * body + b"EXTRA"
        rc, kv, err = self.scripted(reply, "-n", 20)
        self.assertNotEqual(kv.get("errors", "1"), "0", err)
        self.assertRegex(err, "bytes beyond the response|status line")

    def test_missing_length_and_garbage_are_errors(self):
        rc, _, err = self.scripted(b"HTTP/1.1 200 OK\r\n\r\nbody")
        self.assertEqual(rc, 1)
        self.assertIn("without Content-Length", err)
        rc, _, err = self.scripted(b"SSH-2.0-OpenSSH\r\n\r\n")
        self.assertEqual(rc, 1)
        self.assertIn("status line", err)
        rc, _, err = self.scripted(b"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok")
        self.assertEqual(rc, 1)
        self.assertIn("status line", err)
        for length in (b"2x", b"+2", b"2, 3", b""):
            rc, _, err = self.scripted(b"HTTP/1.1 200 OK\r\nContent-Length: " + length + b"\r\n\r\nok")
            self.assertEqual(rc, 1, length)
            self.assertIn("bad or conflicting Content-Length", err)

    def test_refused_connections_end_the_run_without_spinning(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        t0 = time.monotonic()
        p = subprocess.run([self.client, "-c", "4", "-d", "2", f"http://127.0.0.1:{port}/x"],
                           capture_output=True, text=True, timeout=30)
        self.assertLess(time.monotonic() - t0, 10)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Connection refused", p.stderr)
        # One connect per connection per second: 4 connections x ~2 s, not thousands.
        errors = int(re.search(r"\((\d+) errors", p.stderr).group(1))
        self.assertLessEqual(errors, 16)

    def test_open_loop_offers_the_rate_and_no_more(self):
        # -R 400 over 2 s: 800 requests are due; the client never sends ahead of its schedule,
        # and a PoP serving hits keeps up with 400 req/s even on a busy machine (a connection
        # that falls behind sends its overdue requests at once, so the count catches up).
        before = self.hits()
        rc, kv, err = run_client(self.client, "-c", 4, "-d", 2, "-R", 400, "-s", 65536,
                                 self.pop.url() + "/obj/1")
        self.assertEqual(rc, 0, err)
        done = int(kv["requests"])
        self.assertLessEqual(done, 800 + 4)
        self.assertGreaterEqual(done, 400)
        self.assertLessEqual(done, self.hits() - before)
        self.assertEqual((kv["offered_rps"], kv["errors"]), ("400", "0"))
        self.assertIn("open loop at 400 req/s offered", err)

    def test_open_loop_times_from_the_intended_send(self):
        # A server that takes 100 ms per response, one connection, 50 requests/s offered: each
        # response comes back after the next request was due. A closed loop (and wrk) would
        # time every request at ~100 ms and hide the backlog (coordinated omission); the open
        # loop times each from when it was meant to leave, so the wait in the queue counts and
        # the latencies grow through the run (request k is answered ~100 (k+1) ms after the
        # start but was due at 20 k ms).
        reply = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        server = ScriptedServer(reply, delay=0.1)
        try:
            url = f"http://127.0.0.1:{server.port}/x"
            rc, closed, err = run_client(self.client, "-c", 1, "-d", 2, url)
            self.assertEqual(rc, 0, err)
            rc, opened, err = run_client(self.client, "-c", 1, "-d", 2, "-R", 50, url)
            self.assertEqual(rc, 0, err)
        finally:
            server.close()
        self.assertEqual(closed["offered_rps"], "0")
        self.assertLess(float(closed["p50_ms"]), 400)
        self.assertGreater(float(opened["p99_ms"]), 500)
        self.assertGreater(float(opened["p50_ms"]), float(closed["p50_ms"]))
        self.assertGreater(int(opened["late_sends"]), 0)

    def test_usage_errors_exit_2(self):
        for args in (["-c", "0", "-d", "1", "http://127.0.0.1:1/"], ["-c", "1", "http://127.0.0.1:1/"],
                     ["-c", "1", "-d", "1", "http://localhost:1/"], ["-c", "1", "-d", "1", "https://127.0.0.1:1/"],
                     ["-c", "1", "-d", "1", "-t", "2", "http://127.0.0.1:1/"], ["-c", "1", "-d", "1"],
                     ["-c", "1", "-d", "1", "-R", "0", "http://127.0.0.1:1/"],
                     ["-c", "1", "-d", "1", "-R", "fast", "http://127.0.0.1:1/"]):
            p = subprocess.run([self.client] + args, capture_output=True, text=True, timeout=10)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn("usage: hit_load", p.stderr)


if __name__ == "__main__":
    main()
