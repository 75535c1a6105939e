"""End-to-end: `cdnlab lambda` judges hostile input and keeps serving. An Invoke payload of 2 MB
of nested brackets (valid JSON, 1,000,000 levels) is accepted and a truncated one refused, with
no stack overflow in the JSON check; an API body nested as deep is read; numeric query
parameters that are not numbers get a 400 naming the parameter instead of being read as 0."""
import http.client
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, client, make_zip, start_lambda  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402

LEVELS = 1000000


def raw(proc, method, path, body=b"", headers=None):
    host, port = proc.addr["http"]
    c = http.client.HTTPConnection(host, port, timeout=60)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read().decode(errors="replace")
    finally:
        c.close()


class LambdaHostileInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda()
        cls.lam = client(cls.proc)
        cls.lam.create_function(FunctionName="f", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": make_zip({"index.js": "exports.handler = async (e) => e;"})})

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.proc.stop()

    def assert_alive(self):
        self.assertIsNone(self.proc.p.poll(), "cdnlab lambda died")
        self.assertEqual(self.lam.get_function(FunctionName="f")["Configuration"]["FunctionName"], "f")

    def test_deep_payload_is_judged_not_overflowed(self):
        deep = b"[" * LEVELS + b"]" * LEVELS
        r = self.lam.invoke(FunctionName="f", InvocationType="DryRun", Payload=deep)
        self.assertEqual(r["StatusCode"], 204)
        with self.assertRaises(ClientError) as e:
            self.lam.invoke(FunctionName="f", InvocationType="DryRun", Payload=deep[:-1])
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidRequestContentException")
        self.assert_alive()

    def test_deep_api_body_is_read_not_overflowed(self):
        body = b'{"Description":"d","x":' + b"[" * LEVELS + b"]" * LEVELS + b"}"
        status, _ = raw(self.proc, "PUT", "/2015-03-31/functions/f/configuration", body,
                        {"Content-Type": "application/json"})
        self.assertLess(status, 500)
        status, _ = raw(self.proc, "PUT", "/2015-03-31/functions/f/configuration", body[:-2],
                        {"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        self.assert_alive()

    def test_numeric_parameters_that_are_not_numbers(self):
        for path in ("/2015-03-31/functions?MaxItems=abc", "/2015-03-31/functions?MaxItems=12abc",
                     "/2015-03-31/functions?Marker=1x", "/2015-03-31/event-source-mappings?MaxItems=abc",
                     "/_cdnlab/logs/f?after=abc", "/_cdnlab/logs/f?after=-1"):
            with self.subTest(path=path):
                status, text = raw(self.proc, "GET", path)
                self.assertEqual(status, 400, text)
        status, text = raw(self.proc, "GET", "/2015-03-31/functions?MaxItems=5")
        self.assertEqual(status, 200, text)
        # "1abc" is not version 1.
        with self.assertRaises(ClientError) as e:
            self.lam.get_function(FunctionName="f", Qualifier="1abc")
        self.assertIn(e.exception.response["Error"]["Code"], ("ResourceNotFoundException", "ValidationException"))
        self.assert_alive()


if __name__ == "__main__":
    unittest.main(verbosity=2)
