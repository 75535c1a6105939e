"""End-to-end tests of Lambda@Edge in `cdnlab pop` in front of the real `cdnlab origin`, with curl:
a generated response at viewer-request (never cached, never upstream), an origin-response change
that is cached (the second request is a Hit with the changed header), viewer-response on hits,
invalid function output -> 502 and a failing function -> 503 for that request only (counted in
/metrics), the example .so plugin loaded with --native-plugin, and a `lambda:` function served
through the Invoke API (a small stand-in Lambda service in this file: the shape of the exchange
is what is tested)."""
import hashlib
import hmac
import subprocess
import tempfile
import http.server
import json
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, SOURCE, curl, main  # noqa: E402
from test_pop import Topology, fetch_text, metric, metric_sum  # noqa: E402

BUILD = os.environ.get("CDNLAB_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
PLUGIN = os.path.join(BUILD, "lambda", "cdnlab_hello_plugin.so")
SECRET = "e2e-token-secret"


class FakeInvokeApi(http.server.BaseHTTPRequestHandler):
    """POST /2015-03-31/functions/NAME/invocations: `add-header` returns the event's request
    with X-From-Lambda added; `throws` answers as Lambda does for an unhandled error."""
    events = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        name = self.path.split("/")[3]
        event = json.loads(body)
        FakeInvokeApi.events.append((self.path, self.headers.get("X-Amz-Invocation-Type"), event))
        if name == "throws":
            out = json.dumps({"errorType": "TypeError", "errorMessage": "boom"}).encode()
            self.send_response(200)
            self.send_header("X-Amz-Function-Error", "Unhandled")
        else:
            request = event["Records"][0]["cf"]["request"]
            request["headers"]["x-from-lambda"] = [{"key": "X-From-Lambda", "value": "yes"}]
            out = json.dumps(request).encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


class EdgeFunctionsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lambda_api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeInvokeApi)
        threading.Thread(target=cls.lambda_api.serve_forever, daemon=True).start()
        lambda_url = f"http://127.0.0.1:{cls.lambda_api.server_address[1]}"
        cls.topo = Topology(cache_control="max-age=300")
        cls.pop = cls.topo.pop(workers=2, extra=[
            "--native-plugin", PLUGIN,
            "--lambda-endpoint", lambda_url,
            "--edge-function", "viewer-request=builtin:signed-token@/obj/1",
            "--edge-function", "origin-response=builtin:security-headers@/obj/2",
            "--edge-function", "viewer-response=builtin:security-headers@/obj/3",
            "--edge-function", "viewer-request=native:hello-plugin-sleep@/obj/4",
            "--edge-function", "viewer-request=native:hello-plugin-fail@/obj/5",
            "--edge-function", "origin-request=lambda:add-header@/obj/6",
            "--edge-function", "viewer-request=lambda:throws@/obj/7",
            "--edge-function", "viewer-request=builtin:normalize-query@/obj/8",
        ], env={"CDNLAB_EDGE_TOKEN_SECRET": SECRET})
        cls.base = cls.pop.url()

    @classmethod
    def tearDownClass(cls):
        cls.topo.close()
        cls.lambda_api.shutdown()

    def metrics(self):
        return fetch_text(self.pop.url("admin") + "/metrics", headers={"Authorization": "Bearer s3cret-test-token"})

    def test_generated_response_at_viewer_request_skips_cache_and_origin(self):
        before = self.topo.origin_requests()
        code, h, body = curl(self.base + "/obj/1")
        self.assertEqual(code, 403)
        self.assertEqual(h["x-cache"], "Synth")
        self.assertIn(b"missing expires or signature", body)
        self.assertIn("fn;dur=", h["server-timing"])
        self.assertEqual(self.topo.origin_requests(), before)
        # A valid signature passes; both token parameters are stripped, so two signed URLs share one entry.
        expires = str(int(time.time()) + 600)
        sig = hmac.new(SECRET.encode(), f"/obj/1?expires={expires}".encode(), hashlib.sha256).hexdigest()
        code, h, _ = curl(f"{self.base}/obj/1?expires={expires}&signature={sig}")
        self.assertEqual((code, h["x-cache"]), (200, "Miss"))
        code, h, _ = curl(f"{self.base}/obj/1?signature={sig}&expires={expires}")
        self.assertEqual((code, h["x-cache"]), (200, "Hit"))
        self.assertEqual(curl(f"{self.base}/obj/1?expires={expires}&signature={'0' * 64}")[0], 403)

    def test_origin_response_change_is_cached(self):
        code, h, _ = curl(self.base + "/obj/2")
        self.assertEqual((code, h["x-cache"]), (200, "Miss"))
        self.assertEqual(h["x-frame-options"], "DENY")
        code, h, _ = curl(self.base + "/obj/2")
        self.assertEqual((code, h["x-cache"]), (200, "Hit"))
        self.assertEqual(h["x-frame-options"], "DENY")
        self.assertIn("max-age=63072000", h["strict-transport-security"])
        self.assertNotIn("fn;dur=", h["server-timing"])  # the hit ran no function

    def test_viewer_response_runs_on_hits(self):
        runs = metric(self.metrics(), 'cdnlab_edge_function_invocations_total{trigger="viewer-response"}')
        for expected in ("Miss", "Hit", "Hit"):
            code, h, body = curl(self.base + "/obj/3")
            self.assertEqual((code, h["x-cache"]), (200, expected))
            self.assertEqual(h["x-content-type-options"], "nosniff")
            self.assertEqual(len(body), 2048)
        after = metric(self.metrics(), 'cdnlab_edge_function_invocations_total{trigger="viewer-response"}')
        self.assertEqual(after - runs, 3)

    def test_invalid_output_is_502_and_counted(self):
        before = metric(self.metrics(), 'cdnlab_edge_function_invalid_total{trigger="viewer-request"}')
        code, h, body = curl(self.base + "/obj/4")
        self.assertEqual(code, 502)
        self.assertIn(b"failed validation", body)
        self.assertIn(b"hello-plugin-sleep", body)  # the function from the .so plugin ran
        after = metric(self.metrics(), 'cdnlab_edge_function_invalid_total{trigger="viewer-request"}')
        self.assertEqual(after - before, 1)

    def test_failing_function_fails_only_its_request(self):
        code, _, body = curl(self.base + "/obj/5")
        self.assertEqual(code, 503)
        self.assertIn(b"HelloError: this function always fails", body)
        code, h, _ = curl(self.base + "/obj/9")  # no function there: unaffected
        self.assertEqual(code, 200)
        code, _, body = curl(self.base + "/obj/7")  # a throwing Lambda function
        self.assertEqual(code, 503)
        self.assertIn(b"TypeError: boom", body)
        self.assertGreaterEqual(metric(self.metrics(), 'cdnlab_edge_function_errors_total{trigger="viewer-request"}'), 2)

    def test_lambda_function_through_the_invoke_api(self):
        code, h, _ = curl(self.base + "/obj/6?x=1")
        self.assertEqual((code, h["x-cache"]), (200, "Miss"))
        path, kind, event = [e for e in FakeInvokeApi.events if "/add-header/" in e[0]][-1]
        self.assertEqual(path, "/2015-03-31/functions/add-header/invocations")
        self.assertEqual(kind, "RequestResponse")
        cf = event["Records"][0]["cf"]
        self.assertEqual(cf["config"]["eventType"], "origin-request")
        self.assertEqual(cf["request"]["uri"], "/obj/6")
        self.assertEqual(cf["request"]["querystring"], "x=1")
        self.assertEqual(cf["request"]["clientIp"], "127.0.0.1")
        self.assertIn("custom", cf["request"]["origin"])
        # The origin-request function runs only when going upstream: not on the hit.
        calls = len(FakeInvokeApi.events)
        code, h, _ = curl(self.base + "/obj/6?x=1")
        self.assertEqual((code, h["x-cache"]), (200, "Hit"))
        self.assertEqual(len(FakeInvokeApi.events), calls)

    def test_normalized_query_raises_the_hit_ratio(self):
        code, h, _ = curl(self.base + "/obj/8?b=2&utm_source=news&a=1")
        self.assertEqual((code, h["x-cache"]), (200, "Miss"))
        code, h, _ = curl(self.base + "/obj/8?a=1&b=2&fbclid=xyz")
        self.assertEqual((code, h["x-cache"]), (200, "Hit"))


class RedirectByCountryTest(unittest.TestCase):
    """The PoP's view of where a client is: `cdnlab geo build` maps 127.10.0.0/16 to Berlin (DE) in
    the default topology; curl binds to an address there. A client-sent CloudFront-Viewer-Country
    is ignored."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.geo = os.path.join(cls.dir.name, "geo.mmdb")
        subprocess.run([BIN, "geo", "build", os.path.join(SOURCE, "configs", "catalog.yaml"), "-o", cls.geo],
                       check=True, capture_output=True, timeout=30)
        cls.topo = Topology()
        cls.pop = cls.topo.pop(extra=["--geo-db", cls.geo, "--edge-function", "viewer-request=builtin:redirect-by-country"])

    @classmethod
    def tearDownClass(cls):
        cls.topo.close()
        cls.dir.cleanup()

    def test_redirects_by_the_pops_view_of_the_client(self):
        port = self.pop.addr["http"][1]
        code, h, _ = curl("--interface", "127.10.0.5", f"http://127.0.0.1:{port}/obj/1?v=1")
        self.assertEqual(code, 302)
        self.assertEqual(h["location"], "/de/obj/1?v=1")
        self.assertEqual(h["x-cache"], "Synth")
        code, h, _ = curl("-H", "CloudFront-Viewer-Country: DE", f"http://127.0.0.1:{port}/obj/1")
        self.assertEqual((code, h["x-cache"]), (200, "Miss"))  # 127.0.0.1 is nowhere: no redirect


if __name__ == "__main__":
    main()
