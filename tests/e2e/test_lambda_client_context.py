"""Invoke's ClientContext (the base64 JSON X-Amz-Client-Context header, AWS's Invoke API) reaches
the function as AWS's runtimes give it: a Node.js handler's `context.clientContext` (the parsed
object), a Python handler's `context.client_context` (an object with `client`, `custom`, `env`,
the client's fields as attributes), a `provided` bootstrap's `Lambda-Runtime-Client-Context`
header (the JSON). Sent through boto3 and aws-cli. A value that is not base64 of a JSON object,
or longer than AWS's 3583 bytes, is refused with AWS's 400 InvalidRequestContentException and the
function does not run; Event invocations get no client context (AWS passes it to synchronous
ones only)."""
import base64
import json
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, aws, client, make_zip, payload_of, start_lambda  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402

NODE = """exports.handler = async (event, context) => ({
  clientContext: context.clientContext === undefined ? "undefined" : context.clientContext,
  custom: context.clientContext ? context.clientContext.custom : null,
});
"""

PY = """def handler(event, context):
    cc = context.client_context
    if cc is None:
        return {"client_context": None}
    client = None
    if cc.client is not None:
        client = {"installation_id": cc.client.installation_id, "app_title": cc.client.app_title,
                  "app_version_name": cc.client.app_version_name, "app_package_name": cc.client.app_package_name}
    return {"custom": cc.custom, "env": cc.env, "client": client, "identity_pool": context.identity.cognito_identity_pool_id}
"""

# Echoes the Runtime API's client-context header, and counts its invocations in a file so a test
# can tell that a refused invoke never reached it.
PROVIDED = """#!/usr/bin/python3
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
while True:
    with urllib.request.urlopen(api + "/invocation/next") as r:
        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
        header = r.headers.get("Lambda-Runtime-Client-Context")
        event = json.loads(r.read())
    with open(event["log"], "a") as f:
        f.write(json.dumps({"header": header}) + "\\n")
    body = json.dumps({"header": header}).encode()
    urllib.request.urlopen(urllib.request.Request(api + f"/invocation/{rid}/response", data=body, method="POST")).read()
"""

CONTEXT = {"client": {"installation_id": "inst-1", "app_title": "Shop", "app_version_name": "1.2",
                      "app_version_code": "12", "app_package_name": "com.example.shop"},
           "custom": {"tenant": "acme", "nested": {"n": 1}},
           "env": {"platform": "Android", "locale": "de_DE"}}


def b64(obj_or_bytes):
    raw = obj_or_bytes if isinstance(obj_or_bytes, bytes) else json.dumps(obj_or_bytes).encode()
    return base64.b64encode(raw).decode()


class ClientContextTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda("--python", "/usr/bin/python3")
        cls.lam = client(cls.proc)
        cls.lam.create_function(FunctionName="node-cc", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": make_zip({"index.js": NODE})})
        cls.lam.create_function(FunctionName="py-cc", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": make_zip({"app.py": PY})})
        cls.lam.create_function(FunctionName="raw-cc", Runtime="provided.al2023", Role=ROLE, Handler="x",
                                Code={"ZipFile": make_zip({"bootstrap": (PROVIDED, 0o755)})})
        cls.tmp = tempfile.TemporaryDirectory()
        cls.log = os.path.join(cls.tmp.name, "invocations.log")

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.proc.stop()
        cls.tmp.cleanup()

    def invoke(self, name, context, payload=None, **kw):
        args = dict(FunctionName=name, Payload=json.dumps(payload or {}), **kw)
        if context is not None:
            args["ClientContext"] = context
        r = self.lam.invoke(**args)
        self.assertNotIn("FunctionError", r)
        return payload_of(r)

    def lines(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(line) for line in f]

    def test_node_sees_context_client_context(self):
        out = self.invoke("node-cc", b64(CONTEXT))
        self.assertEqual(out["clientContext"], CONTEXT)
        self.assertEqual(out["custom"], {"tenant": "acme", "nested": {"n": 1}})
        self.assertEqual(self.invoke("node-cc", None)["clientContext"], "undefined")

    def test_python_sees_context_client_context_as_object(self):
        out = self.invoke("py-cc", b64(CONTEXT))
        self.assertEqual(out["custom"], CONTEXT["custom"])
        self.assertEqual(out["env"], CONTEXT["env"])
        self.assertEqual(out["client"], {"installation_id": "inst-1", "app_title": "Shop", "app_version_name": "1.2",
                                         "app_package_name": "com.example.shop"})
        self.assertIsNone(out["identity_pool"])
        # Only `custom` sent: the other two are None, as on AWS.
        out = self.invoke("py-cc", b64({"custom": {"k": "v"}}))
        self.assertEqual(out, {"custom": {"k": "v"}, "env": None, "client": None, "identity_pool": None})
        self.assertEqual(self.invoke("py-cc", None), {"client_context": None})

    def test_aws_cli_client_context(self):
        outfile = os.path.join(self.tmp.name, "out.json")
        code, meta, err = aws(self.proc, "invoke", "--function-name", "node-cc", "--payload", "{}",
                              "--cli-binary-format", "raw-in-base64-out",
                              "--client-context", b64({"custom": {"via": "cli"}}), outfile)
        self.assertEqual(code, 0, err)
        self.assertEqual(meta["StatusCode"], 200)
        with open(outfile) as f:
            self.assertEqual(json.load(f)["custom"], {"via": "cli"})

    def test_runtime_api_header_is_compact_json(self):
        # JSON may carry raw newlines as whitespace; the Runtime API header must not.
        pretty = json.dumps(CONTEXT, indent=2).encode().replace(b"\n", b"\r\n")
        out = self.invoke("raw-cc", b64(pretty), {"log": self.log})
        self.assertNotIn("\n", out["header"])
        self.assertEqual(json.loads(out["header"]), CONTEXT)
        # Control characters inside strings arrive escaped, still one header line.
        tricky = {"custom": {"x": "a\r\nLambda-Runtime-Aws-Request-Id: forged\u0000"}}
        out = self.invoke("raw-cc", b64(tricky), {"log": self.log})
        self.assertEqual(json.loads(out["header"]), tricky)

    def test_refused_with_aws_error_and_function_not_run(self):
        before = len(self.lines())
        bad = {
            "not base64": "%%%not-base64%%%",
            "base64 of non-JSON": b64(b"hello there"),
            "a JSON array": b64([1, 2]),
            "a JSON string": b64("just a string"),
            "truncated JSON": b64(b'{"custom": {'),
            "over 3583 bytes": b64({"custom": {"pad": "x" * 2700}}),
        }
        self.assertGreater(len(bad["over 3583 bytes"]), 3583)
        for why, value in bad.items():
            with self.subTest(why=why):
                with self.assertRaises(ClientError) as cm:
                    self.lam.invoke(FunctionName="raw-cc", Payload=json.dumps({"log": self.log}), ClientContext=value)
                err = cm.exception.response
                self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)
                self.assertEqual(err["Error"]["Code"], "InvalidRequestContentException")
                self.assertIn("Client context must be a valid Base64-encoded JSON object", err["Error"]["Message"])
        self.assertEqual(len(self.lines()), before, "a refused invoke ran the function")
        # Just under the limit is accepted.
        ok = {"custom": {"pad": "y" * 2600}}
        self.assertLessEqual(len(b64(ok)), 3583)
        self.assertEqual(json.loads(self.invoke("raw-cc", b64(ok), {"log": self.log})["header"]), ok)

    def test_event_invocation_gets_no_client_context(self):
        before = len(self.lines())
        r = self.lam.invoke(FunctionName="raw-cc", InvocationType="Event", Payload=json.dumps({"log": self.log}),
                            ClientContext=b64({"custom": {"k": "v"}}))
        self.assertEqual(r["StatusCode"], 202)
        # The Event invocation runs after the 202; a synchronous one behind it on the same function
        # waits its turn or takes another environment, so poll the log (bounded) for the Event's line.
        for _ in range(200):
            if len(self.lines()) > before:
                break
            time.sleep(0.05)
        new = self.lines()[before:]
        self.assertTrue(new, "the Event invocation did not run")
        self.assertIsNone(new[0]["header"])


if __name__ == "__main__":
    unittest.main()
