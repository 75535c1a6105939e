"""Function and API errors in the shapes AWS returns, read through boto3 and over raw HTTP: a
timeout is the function error Sandbox.Timedout ("RequestId: ... Error: Task timed out after N.NN
seconds"), a missing package imported by an ES module or required by a CommonJS one is
Runtime.ImportModuleError, PublishVersion with a stale CodeSha256 is InvalidParameterValueException
naming both hashes (and publishes nothing), deleting $LATEST alone or a version an alias uses is
refused as AWS refuses it, the deprecated InvokeAsync is an Event invocation, and every API error carries x-amzn-ErrorType and the
{"Type":"User","message":...} body the SDKs read."""
import json
import os
import shutil
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, aws, client, client_error as err, make_zip, payload_of, start_lambda  # noqa: E402


class LambdaErrorShapes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda()
        cls.lam = client(cls.proc)
        cls.tmp = tempfile.mkdtemp(prefix="cdnlab-lambda-errors-")
        with open(os.path.join(cls.tmp, "args.json"), "w") as f:
            f.write('{"via":"aws-cli"}')

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.proc.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def create(self, name, files, **kw):
        args = dict(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                    Code={"ZipFile": make_zip(files)})
        args.update(kw)
        return self.lam.create_function(**args)

    def invoke(self, name, **kw):
        r = self.lam.invoke(FunctionName=name, Payload=b"{}", **kw)
        return r, payload_of(r)

    def test_timeout_is_sandbox_timedout(self):
        self.create("slow", {"index.js": "exports.handler = () => new Promise(() => {});"}, Timeout=1)
        r, out = self.invoke("slow")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(out["errorType"], "Sandbox.Timedout")
        request_id = r["ResponseMetadata"]["RequestId"]
        self.assertEqual(out["errorMessage"], f"RequestId: {request_id} Error: Task timed out after 1.00 seconds")

    def test_missing_package_is_import_module_error(self):
        self.create("esm-missing", {"index.mjs": "import x from 'no-such-package-here';\nexport const handler = async () => x;\n"})
        r, out = self.invoke("esm-missing")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(out["errorType"], "Runtime.ImportModuleError")
        self.assertTrue(out["errorMessage"].startswith("Error: Cannot find package 'no-such-package-here'"), out)
        self.create("cjs-missing", {"index.js": "const x = require('no-such-module-here');\nexports.handler = async () => x;\n"})
        r, out = self.invoke("cjs-missing")
        self.assertEqual(out["errorType"], "Runtime.ImportModuleError")
        self.assertTrue(out["errorMessage"].startswith("Error: Cannot find module 'no-such-module-here'"), out)
        # A module that throws something else at load keeps its own error type.
        self.create("init-throws", {"index.js": "throw new RangeError('bad init');\n"})
        _, out = self.invoke("init-throws")
        self.assertEqual((out["errorType"], out["errorMessage"]), ("RangeError", "bad init"))

    def test_python_init_error_shape(self):
        self.create("py-missing", {"other.py": "x = 1\n"}, Runtime="python3.11", Handler="app.handler")
        r, out = self.invoke("py-missing")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual(out, {"errorMessage": "Unable to import module 'app': No module named 'app'",
                               "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []})

    def test_publish_with_stale_code_sha256(self):
        fc = self.create("pub-sha", {"index.js": "exports.handler = async () => 1;"})
        stale = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        code, status, message = err(lambda: self.lam.publish_version(FunctionName="pub-sha", CodeSha256=stale))
        self.assertEqual((code, status), ("InvalidParameterValueException", 400))
        self.assertEqual(message, f"CodeSHA256 ({stale}) is different from current CodeSHA256 in $LATEST "
                                  f"({fc['CodeSha256']}). Please try again with the CodeSHA256 in $LATEST.")
        self.assertEqual([v["Version"] for v in self.lam.list_versions_by_function(FunctionName="pub-sha")["Versions"]],
                         ["$LATEST"], "a refused publish creates no version")
        self.assertEqual(self.lam.publish_version(FunctionName="pub-sha", CodeSha256=fc["CodeSha256"])["Version"], "1")

    def test_invoke_async(self):
        # The deprecated InvokeAsync still ships in boto3 and aws-cli: an Event invocation, 202 {"Status":202}.
        out = os.path.join(self.tmp, "async.out")
        self.create("async-fn", {"index.js": "const fs = require('fs');\n"
                                 f"exports.handler = async (e) => {{ fs.appendFileSync({json.dumps(out)}, JSON.stringify(e) + '\\n'); }};\n"})
        r = self.lam.invoke_async(FunctionName="async-fn", InvokeArgs=b'{"via":"boto3"}')
        self.assertEqual((r["ResponseMetadata"]["HTTPStatusCode"], r["Status"]), (202, 202))
        _, cli, _ = aws(self.proc, "invoke-async", "--function-name", "async-fn", "--invoke-args", os.path.join(self.tmp, "args.json"))
        self.assertEqual(cli["Status"], 202)
        deadline = time.monotonic() + 30
        seen = []
        while time.monotonic() < deadline and len(seen) < 2:
            if os.path.exists(out):
                with open(out) as f:
                    seen = [json.loads(line) for line in f if line.strip()]
            time.sleep(0.05)
        self.assertEqual(sorted(e["via"] for e in seen), ["aws-cli", "boto3"])
        code, status, _ = err(lambda: self.lam.invoke_async(FunctionName="no-such-fn", InvokeArgs=b"{}"))
        self.assertEqual((code, status), ("ResourceNotFoundException", 404))

    def test_version_and_alias_errors(self):
        self.create("ver-errs", {"index.js": "exports.handler = async () => 1;"}, Publish=True)
        code, status, message = err(lambda: self.lam.delete_function(FunctionName="ver-errs", Qualifier="$LATEST"))
        self.assertEqual((code, status, message), ("InvalidParameterValueException", 400,
                                                   "$LATEST version cannot be deleted without deleting the function."))
        self.lam.get_function(FunctionName="ver-errs")  # still there
        code, status, message = err(lambda: self.lam.create_alias(FunctionName="ver-errs", Name="next", FunctionVersion="7"))
        self.assertEqual((code, status, message), ("ResourceNotFoundException", 404,
                                                   "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ver-errs:7"))
        self.lam.create_alias(FunctionName="ver-errs", Name="live", FunctionVersion="1")
        code, status, message = err(lambda: self.lam.delete_function(FunctionName="ver-errs", Qualifier="1"))
        self.assertEqual((code, status), ("ResourceConflictException", 409))
        self.assertIn("[live]", message)

    def test_error_header_and_body_shape(self):
        req = urllib.request.Request(self.proc.url() + "/2015-03-31/functions/no-such-fn/configuration")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(req, timeout=10)
        e = caught.exception
        self.assertEqual(e.code, 404)
        self.assertEqual(e.headers["x-amzn-ErrorType"], "ResourceNotFoundException")
        self.assertTrue(e.headers["x-amzn-RequestId"])
        body = json.loads(e.read())
        self.assertEqual(body, {"Type": "User",
                                "message": "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-fn"})

    def raw(self, method, path, body=None):
        req = urllib.request.Request(self.proc.url() + path, data=body, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.headers, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, json.loads(e.read())

    def test_malformed_requests(self):
        status, headers, body = self.raw("POST", "/2015-03-31/functions", b"{bad")
        self.assertEqual((status, headers["x-amzn-ErrorType"]), (400, "InvalidRequestContentException"))
        self.assertTrue(body["message"].startswith("Could not parse request body into json"), body)
        status, headers, _ = self.raw("POST", "/2015-03-31/functions", b"[1]")
        self.assertEqual((status, headers["x-amzn-ErrorType"]), (400, "InvalidRequestContentException"))
        # ListFunctions' FunctionVersion has one value, ALL (boto3 sends what it is given).
        code, status, message = err(lambda: self.lam.list_functions(FunctionVersion="SOME"))
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertIn("functionVersion", message)


if __name__ == "__main__":
    unittest.main()
