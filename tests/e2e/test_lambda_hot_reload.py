"""End-to-end: a function whose code is a local directory (hot reload).

`Code={"S3Bucket": "hot-reload", "S3Key": "/abs/dir"}` - LocalStack's convention, which the
topology's `functions:` section uses through `cdnlab up` - runs the function straight from the
directory: nothing is copied, so an edit is picked up by the next cold start (here: the warm
environment stops after a short idle timeout), and UpdateFunctionCode with the same directory
re-reads it at once (CodeSha256 follows the files). Bad paths get AWS's 400; deleting the
function leaves the user's directory alone. Clients: boto3 and aws-cli (Debian's).
"""
import base64
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, aws, client, start_lambda  # noqa: E402

NODE = "export const handler = async () => ({ version: '%s' });\n"
PY = "def handler(event, context):\n    return {'version': '%s'}\n"
IDLE_MS = 300


def invoke(lam, name):
    """(payload, True when this invocation was a cold start)."""
    r = lam.invoke(FunctionName=name, LogType="Tail", Payload=b"{}")
    log = base64.b64decode(r["LogResult"]).decode()
    return json.loads(r["Payload"].read()), "Init Duration" in log


class HotReloadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda("--python", "/usr/bin/python3", "--idle-timeout-ms", str(IDLE_MS))
        cls.lam = client(cls.proc)
        cls.dir = tempfile.mkdtemp(prefix="cdnlab-hot-reload-")

    @classmethod
    def tearDownClass(cls):
        cls.proc.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def code_dir(self, name, file, text):
        d = os.path.join(self.dir, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, file), "w") as f:
            f.write(text)
        return d

    def check_edit_reaches_next_cold_start(self, name, runtime, handler, file, source):
        d = self.code_dir(name, file, source % "v1")
        created = self.lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                                           Code={"S3Bucket": "hot-reload", "S3Key": d})
        self.assertEqual(created["CodeSize"], len(source % "v1"))
        got = self.lam.get_function(FunctionName=name)
        self.assertNotIn("Location", got["Code"])  # the directory is the code: no package to download
        self.assertEqual(invoke(self.lam, name), ({"version": "v1"}, True))

        self.code_dir(name, file, source % "v2")
        # Warm environments keep the code they loaded; once the idle one has stopped, the next
        # invocation starts a new environment from the directory as it is now.
        deadline = time.monotonic() + 30
        while True:
            payload, cold = invoke(self.lam, name)
            if cold:
                self.assertEqual(payload, {"version": "v2"})
                break
            self.assertEqual(payload, {"version": "v1"})
            self.assertLess(time.monotonic(), deadline, "no cold start within 30 s of idle time")
            time.sleep(IDLE_MS * 2 / 1000)

        # UpdateFunctionCode with the same directory: CodeSha256 follows the files, and the
        # function's environments are replaced at once.
        before = self.lam.get_function_configuration(FunctionName=name)["CodeSha256"]
        self.code_dir(name, file, source % "v3")
        updated = self.lam.update_function_code(FunctionName=name, S3Bucket="hot-reload", S3Key=d)
        self.assertNotEqual(updated["CodeSha256"], before)
        self.assertEqual(invoke(self.lam, name)[0], {"version": "v3"})

        self.lam.delete_function(FunctionName=name)
        self.assertTrue(os.path.exists(os.path.join(d, file)), "DeleteFunction removed the user's own directory")
        # Nothing was written into it either (a Python environment writes no __pycache__ there,
        # as AWS's read-only task root gets none).
        self.assertEqual(os.listdir(d), [file])

    def test_node_function(self):
        self.check_edit_reaches_next_cold_start("hot-node", "nodejs20.x", "index.handler", "index.mjs", NODE)

    def test_python_function(self):
        self.check_edit_reaches_next_cold_start("hot-py", "python3.11", "app.handler", "app.py", PY)

    def test_aws_cli_creates_one_from_a_directory(self):
        d = self.code_dir("hot-cli", "app.py", PY % "cli")
        _, out, _ = aws(self.proc, "create-function", "--function-name", "hot-cli", "--runtime", "python3.11",
                        "--role", ROLE, "--handler", "app.handler", "--code", f"S3Bucket=hot-reload,S3Key={d}")
        self.assertEqual(out["CodeSize"], len(PY % "cli"))
        self.assertEqual(invoke(self.lam, "hot-cli")[0], {"version": "cli"})

    def test_bad_directories_are_refused(self):
        from botocore.exceptions import ClientError
        missing = os.path.join(self.dir, "no-such-dir")
        for key in ("relative/dir", missing, os.path.join(self.code_dir("file-not-dir", "a.py", "x"), "a.py")):
            with self.assertRaises(ClientError) as e:
                self.lam.create_function(FunctionName="hot-bad", Runtime="python3.11", Role=ROLE, Handler="a.h",
                                         Code={"S3Bucket": "hot-reload", "S3Key": key})
            self.assertEqual(e.exception.response["Error"]["Code"], "InvalidParameterValueException", key)
            self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        with self.assertRaises(ClientError) as e:
            self.lam.create_function(FunctionName="hot-bad", Runtime="python3.11", Role=ROLE, Handler="a.h",
                                     Code={"S3Bucket": "some-bucket", "S3Key": "code.zip"})
        self.assertIn("hot-reload", e.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError):
            self.lam.get_function(FunctionName="hot-bad")


if __name__ == "__main__":
    unittest.main(verbosity=2)
