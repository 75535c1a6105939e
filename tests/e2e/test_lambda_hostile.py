"""Untrusted bytes at the Lambda service's edges: a `provided` bootstrap that sends garbage to
its Runtime API, answers for the wrong request id and returns a response over the 6 MB limit
(the invocation gets Function.ResponseSizeTooLarge, the environment keeps serving), and
malformed Lambda API requests answered with a 4xx while the service keeps working."""
import http.client
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import raw_request  # noqa: E402
from lambda_util import ROLE, client, make_zip, payload_of, start_lambda  # noqa: E402

BOOTSTRAP = r"""#!/usr/bin/python3
import http.client, json, os, socket
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
P = "/2018-06-01/runtime"
# Garbage first: the service must answer 4xx and close, not crash.
s = socket.create_connection((host, int(port)))
s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
first = s.recv(100)
s.close()
c = http.client.HTTPConnection(host, int(port))
c.request("POST", P + "/invocation/not-a-request/response", body=b"{}")
r = c.getresponse(); wrong = (r.status, json.loads(r.read())["errorType"])
while True:
    c = http.client.HTTPConnection(host, int(port))
    c.request("GET", P + "/invocation/next")
    r = c.getresponse(); rid = r.getheader("Lambda-Runtime-Aws-Request-Id"); event = json.loads(r.read())
    if event.get("big"):
        body = b'"' + b"x" * (7 * 1024 * 1024) + b'"'
    else:
        body = json.dumps({"first": first.split(b"\r\n")[0].decode(), "wrong": wrong}).encode()
    try:
        c.request("POST", P + f"/invocation/{rid}/response", body=body)
        c.getresponse().read()
    except OSError:
        pass
"""


class LambdaHostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda()
        cls.lam = client(cls.proc)
        cls.lam.create_function(FunctionName="rude", Runtime="provided.al2023", Role=ROLE, Handler="x",
                                Code={"ZipFile": make_zip({"bootstrap": (BOOTSTRAP, 0o755)})})

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.proc.stop()

    def test_runtime_api_garbage_and_oversized_response(self):
        out = payload_of(self.lam.invoke(FunctionName="rude", Payload=b"{}"))
        self.assertTrue(out["first"].startswith("HTTP/1.1 4"), out)
        self.assertEqual(out["wrong"], [400, "InvalidRequestID"])
        r = self.lam.invoke(FunctionName="rude", Payload=b'{"big": true}')
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(payload_of(r)["errorType"], "Function.ResponseSizeTooLarge")
        out = payload_of(self.lam.invoke(FunctionName="rude", Payload=b"{}"))
        self.assertIn("wrong", out)

    def test_malformed_api_requests(self):
        host, port = self.proc.addr["http"]
        resp = raw_request((host, port), b"POST /2015-03-31/functions/%zz/invocations HTTP/1.1\r\nHost: x\r\n"
                                          b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
        self.assertTrue(resp.startswith(b"HTTP/1.1 400"), resp[:200])
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request("PATCH", "/2015-03-31/functions/rude")
        r = conn.getresponse()
        self.assertEqual((r.status, r.getheader("x-amzn-ErrorType")), (404, "UnknownOperationException"))
        r.read()
        conn.request("POST", "/2015-03-31/functions", body=b"[1,2")
        r = conn.getresponse()
        self.assertEqual((r.status, r.getheader("x-amzn-ErrorType")), (400, "InvalidRequestContentException"))
        r.read()
        conn.request("POST", "/2015-03-31/functions", body=json.dumps(
            {"FunctionName": "z", "Runtime": "nodejs20.x", "Role": ROLE, "Handler": "i.h", "Code": {"ZipFile": "@@@"}}))
        r = conn.getresponse()
        self.assertEqual((r.status, r.getheader("x-amzn-ErrorType")), (400, "InvalidRequestContentException"))
        r.read()
        conn.close()
        self.assertIn("first", payload_of(self.lam.invoke(FunctionName="rude", Payload=b"{}")))


    def test_sigterm_stops_every_environment(self):
        proc = start_lambda()
        lam = client(proc)
        try:
            lam.create_function(FunctionName="pid", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": make_zip({"index.js": "exports.handler = async () => process.pid;"})})
            pid = payload_of(lam.invoke(FunctionName="pid", Payload=b"{}"))
            os.kill(pid, 0)  # the environment is alive and idle
        finally:
            lam.close()
            self.assertEqual(proc.stop(), 0)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        self.fail(f"environment {pid} outlived the service")


if __name__ == "__main__":
    unittest.main(verbosity=2)
