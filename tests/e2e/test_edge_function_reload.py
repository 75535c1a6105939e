"""End-to-end tests of reloading a running PoP's edge functions with SIGHUP: the PoP reads its
`--edge-functions` file (and its `--behaviors` file's functions) again; the next request runs the new
association; a broken file is refused with an error naming the file and field, and the old
associations keep serving; a request already in flight finishes with the functions it started with.
Real `cdnlab origin` + `cdnlab pop`, curl as the client; a small stand-in Lambda Invoke API (in this
file) holds one function call open so a reload can happen while a request is in flight."""
import http.server
import json
import os
import re
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import curl, main  # noqa: E402
from test_pop import Topology  # noqa: E402

SECRET = "e2e-reload-secret"


class HoldingInvokeApi(http.server.BaseHTTPRequestHandler):
    """POST /2015-03-31/functions/hold/invocations: answers the event's request unchanged, but only
    once the test sets `release` (so the PoP's request stays in flight until then)."""
    received = threading.Event()
    release = threading.Event()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        HoldingInvokeApi.received.set()
        HoldingInvokeApi.release.wait(30)
        out = json.dumps(json.loads(body)["Records"][0]["cf"]["request"]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def functions_yaml(*entries):
    lines = ["edge_functions:"]
    for trigger, function, path in entries:
        lines.append(f"  - trigger: {trigger}")
        lines.append(f"    function: {function}")
        lines.append(f"    path: '{path}'")
    return "\n".join(lines) + "\n"


def write(path, text):
    # Replaced in one step, as an editor's save or a deploy would: a reload never reads half a file.
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def wait_for_count(proc, pattern, count, timeout=20):
    """Waits until `count` lines of the process's output match `pattern`; returns the last one."""
    rx = re.compile(pattern)
    deadline = time.monotonic() + timeout
    while True:
        hits = [l for l in proc.output().splitlines() if rx.search(l)]
        if len(hits) >= count:
            return hits[count - 1]
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {count} lines matching {pattern!r}:\n{proc.output()}")
        time.sleep(0.02)


class EdgeFunctionReloadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.topo = Topology(cache_control="max-age=300")
        cls.dir = cls.topo.dir.name

    @classmethod
    def tearDownClass(cls):
        cls.topo.close()

    def start_pop(self, name, files, extra=()):
        args = []
        for flag, path in files:
            args += [flag, path]
        return self.topo.pop(pop_id=name, extra=args + list(extra), env={"CDNLAB_EDGE_TOKEN_SECRET": SECRET})

    def test_sighup_runs_the_new_association_and_a_broken_file_keeps_the_old(self):
        path = os.path.join(self.dir, "reload-fns.yaml")
        write(path, functions_yaml(("viewer-response", "builtin:security-headers", "/obj/*")))
        pop = self.start_pop("reload1", [("--edge-functions", path)])
        code, h, _ = curl(pop.url() + "/obj/1")
        self.assertEqual(code, 200)
        self.assertEqual(h["x-frame-options"], "DENY")

        # The new association: a signed-URL check at viewer-request, no viewer-response function.
        write(path, functions_yaml(("viewer-request", "builtin:signed-token", "/obj/*")))
        pop.send_signal(signal.SIGHUP)
        self.assertIn("1 association", wait_for_count(pop, r"^reloaded edge functions", 1))
        code, h, body = curl(pop.url() + "/obj/1")
        self.assertEqual((code, h["x-cache"]), (403, "Synth"))
        self.assertIn(b"missing expires or signature", body)
        self.assertNotIn("x-frame-options", h)
        code, h, _ = curl(pop.url() + "/other")  # outside the pattern: no function
        self.assertNotEqual(code, 403)

        # A broken file: refused with the file, line and field named; the signed-URL check stays.
        write(path, "edge_functions:\n  - trigger: viewer-requets\n    function: builtin:normalize-query\n")
        pop.send_signal(signal.SIGHUP)
        wait_for_count(pop, r"edge functions not reloaded", 1)
        out = pop.output()
        self.assertRegex(out, re.escape(path) + r":2:\d+: edge_functions\[0\]\.trigger")
        self.assertEqual(curl(pop.url() + "/obj/1")[0], 403)

        # An unknown native function is refused the same way (resolved before the swap).
        write(path, functions_yaml(("viewer-request", "builtin:no-such-function", "/obj/*")))
        pop.send_signal(signal.SIGHUP)
        self.assertIn("no native function 'no-such-function'", wait_for_count(pop, r"no native function", 1))
        self.assertEqual(curl(pop.url() + "/obj/1")[0], 403)

        # Fixed again: it applies; the process served throughout.
        write(path, functions_yaml(("origin-response", "builtin:security-headers", "/obj/*")))
        pop.send_signal(signal.SIGHUP)
        wait_for_count(pop, r"^reloaded edge functions", 2)
        code, h, _ = curl(pop.url() + "/obj/7")
        self.assertEqual((code, h["x-cache"], h["x-frame-options"]), (200, "Miss", "DENY"))
        self.assertIsNone(pop.p.poll())

    def test_behaviors_functions_reload_and_a_changed_pattern_is_refused(self):
        path = os.path.join(self.dir, "reload-behaviors.yaml")
        origin = self.topo.origin.url()

        def behaviors(trigger, fn, pattern="/obj/*"):
            return (f"behaviors:\n  - path_pattern: {pattern}\n    origin: {origin}\n"
                    f"    functions:\n      {trigger}: {fn}\n  - origin: {origin}\n")

        write(path, behaviors("viewer-response", "builtin:security-headers"))
        pop = self.start_pop("reload2", [("--behaviors", path)])
        self.assertEqual(curl(pop.url() + "/obj/2")[1]["x-frame-options"], "DENY")

        write(path, behaviors("viewer-request", "builtin:signed-token"))
        pop.send_signal(signal.SIGHUP)
        wait_for_count(pop, r"^reloaded edge functions", 1)
        code, h, _ = curl(pop.url() + "/obj/2")
        self.assertEqual(code, 403)
        self.assertNotIn("x-frame-options", h)
        self.assertEqual(curl(pop.url() + "/other")[0], 404)  # the default behavior: no function

        write(path, behaviors("viewer-response", "builtin:security-headers", pattern="/img/*"))
        pop.send_signal(signal.SIGHUP)
        line = wait_for_count(pop, r"behaviors\[0\]\.path_pattern", 1)
        self.assertIn(path, line)
        self.assertIn("restart", line)
        self.assertEqual(curl(pop.url() + "/obj/2")[0], 403)  # the reloaded function stays

    def test_a_request_in_flight_keeps_the_functions_it_started_with(self):
        api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HoldingInvokeApi)
        threading.Thread(target=api.serve_forever, daemon=True).start()
        try:
            path = os.path.join(self.dir, "reload-inflight.yaml")
            write(path, functions_yaml(("viewer-request", "lambda:hold", "/obj/*"),
                                       ("viewer-response", "builtin:security-headers", "/obj/*")))
            pop = self.start_pop("reload3", [("--edge-functions", path)],
                                 extra=["--lambda-endpoint", f"http://127.0.0.1:{api.server_address[1]}"])
            result = {}
            client = threading.Thread(target=lambda: result.update(r=curl(pop.url() + "/obj/3", timeout=30)))
            client.start()
            self.assertTrue(HoldingInvokeApi.received.wait(20), "the PoP never called the held function")
            # While that request waits in its viewer-request function: no functions at all.
            write(path, "edge_functions: []\n")
            pop.send_signal(signal.SIGHUP)
            self.assertIn("0 associations", wait_for_count(pop, r"^reloaded edge functions", 1))
            HoldingInvokeApi.release.set()
            client.join(30)
            code, h, _ = result["r"]
            self.assertEqual(code, 200)
            self.assertEqual(h["x-frame-options"], "DENY")  # its viewer-response ran, from the old set
            code, h, _ = curl(pop.url() + "/obj/3")  # a new request: the new (empty) set
            self.assertEqual(code, 200)
            self.assertNotIn("x-frame-options", h)
        finally:
            HoldingInvokeApi.release.set()
            api.shutdown()
            api.server_close()


if __name__ == "__main__":
    main()
