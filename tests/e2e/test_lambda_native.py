"""The cdnlab-native runtime through the Lambda service: a built-in (echo) and functions from a
shared object in the code zip (lambda/native/examples/hello_plugin.c), with the same Invoke API,
Tail logs, modelled cold start (Init Duration on the first call only), function errors and
timeouts as process runtimes."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import LambdaServiceCase, make_zip, payload_of, ROLE, tail_of  # noqa: E402

BUILD = os.environ.get("CDNLAB_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
PLUGIN = os.path.join(BUILD, "lambda", "cdnlab_hello_plugin.so")


class LambdaNative(LambdaServiceCase):
    def test_builtin_echo_cold_then_warm(self):
        self.lam.create_function(FunctionName="echo", Runtime="cdnlab-native", Role=ROLE, Handler="echo",
                                 Code={"ZipFile": make_zip({"README": "built-in"})})
        tails = []
        for i in range(2):
            r = self.lam.invoke(FunctionName="echo", Payload=json.dumps({"i": i}), LogType="Tail")
            self.assertEqual(payload_of(r), {"i": i})
            tails.append(tail_of(r))
        self.assertIn("Init Duration", tails[0])
        self.assertNotIn("Init Duration", tails[1])
        self.assertIn("REPORT RequestId:", tails[1])

    @unittest.skipUnless(os.path.exists(PLUGIN), "build the cdnlab_hello_plugin target")
    def test_plugin_from_the_zip(self):
        with open(PLUGIN, "rb") as f:
            so = f.read()
        code = {"ZipFile": make_zip({"hello.so": so})}
        self.lam.create_function(FunctionName="plug", Runtime="cdnlab-native", Role=ROLE,
                                 Handler="hello.so:hello-plugin", Code=code)
        r = self.lam.invoke(FunctionName="plug", Payload=b'{"abc":1}', LogType="Tail")
        self.assertEqual(payload_of(r), {"message": "Hello from a plugin", "bytes": 9})
        self.assertIn("hello-plugin: answered", tail_of(r))
        self.lam.create_function(FunctionName="plugfail", Runtime="cdnlab-native", Role=ROLE,
                                 Handler="hello.so:hello-plugin-fail", Code=code)
        r = self.lam.invoke(FunctionName="plugfail", Payload=b"{}")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(payload_of(r)["errorType"], "HelloError")
        self.lam.create_function(FunctionName="plugslow", Runtime="cdnlab-native", Role=ROLE,
                                 Handler="hello.so:hello-plugin-sleep", Code=code, Timeout=1)
        r = self.lam.invoke(FunctionName="plugslow", Payload=b"2500")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertIn("Task timed out after 1.00 seconds", payload_of(r)["errorMessage"])
        r = self.lam.invoke(FunctionName="plugslow", Payload=b"1")
        self.assertEqual(payload_of(r), "slept")

    def test_unknown_handler_is_an_entrypoint_error(self):
        self.lam.create_function(FunctionName="ghost", Runtime="cdnlab-native", Role=ROLE, Handler="no-such-builtin",
                                 Code={"ZipFile": make_zip({"README": "x"})})
        r = self.lam.invoke(FunctionName="ghost", Payload=b"{}")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(payload_of(r)["errorType"], "Runtime.InvalidEntrypoint")


if __name__ == "__main__":
    unittest.main(verbosity=2)
