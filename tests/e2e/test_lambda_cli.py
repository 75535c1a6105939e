"""`cdnlab lambda` driven by Debian's aws-cli exactly as the README shows it: create a Node.js
function from a zip, invoke it with --log-type Tail, read its configuration, list, delete; and
`cdnlab lambda logs` prints the same START/END/REPORT lines."""
import base64
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN  # noqa: E402
from lambda_util import ROLE, aws, make_zip, start_lambda  # noqa: E402

HELLO = """export const handler = async (event, context) => {
  console.log("hello from", context.functionName);
  return { greeting: `hi ${event.name}`, version: context.functionVersion,
           requestId: context.awsRequestId, remainingOk: context.getRemainingTimeInMillis() > 0 };
};
"""


class LambdaCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.zip = os.path.join(cls.tmp.name, "hello.zip")
        with open(cls.zip, "wb") as f:
            f.write(make_zip({"index.mjs": HELLO}))

    @classmethod
    def tearDownClass(cls):
        cls.proc.stop()
        cls.tmp.cleanup()

    def test_create_invoke_tail_list_delete(self):
        _, created, _ = aws(self.proc, "create-function", "--function-name", "hello", "--runtime", "nodejs20.x",
                            "--handler", "index.handler", "--zip-file", f"fileb://{self.zip}", "--role", ROLE)
        self.assertEqual(created["FunctionName"], "hello")
        self.assertEqual(created["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:hello")
        self.assertEqual(created["State"], "Active")
        self.assertEqual(created["Timeout"], 3)

        out = os.path.join(self.tmp.name, "out.json")
        for attempt in ("cold", "warm"):
            _, meta, _ = aws(self.proc, "invoke", "--function-name", "hello", "--payload", '{"name":"x"}',
                             "--cli-binary-format", "raw-in-base64-out", "--log-type", "Tail", out)
            self.assertEqual(meta["StatusCode"], 200)
            self.assertEqual(meta["ExecutedVersion"], "$LATEST")
            self.assertNotIn("FunctionError", meta)
            with open(out) as f:
                body = json.load(f)
            self.assertEqual(body["greeting"], "hi x")
            self.assertEqual(body["version"], "$LATEST")
            self.assertTrue(body["remainingOk"])
            log = base64.b64decode(meta["LogResult"]).decode()
            rid = body["requestId"]
            self.assertIn(f"START RequestId: {rid} Version: $LATEST", log)
            self.assertIn("hello from hello", log)
            self.assertIn(f"END RequestId: {rid}", log)
            self.assertRegex(log, rf"REPORT RequestId: {rid}\tDuration: [0-9.]+ ms\tBilled Duration: \d+ ms\t"
                                  r"Memory Size: 128 MB\tMax Memory Used: \d+ MB\t")
            # Init Duration only on the cold start.
            self.assertEqual("Init Duration:" in log, attempt == "cold", log)

        _, conf, _ = aws(self.proc, "get-function-configuration", "--function-name", "hello")
        self.assertEqual(conf["Handler"], "index.handler")
        self.assertEqual(conf["CodeSha256"], created["CodeSha256"])
        _, listed, _ = aws(self.proc, "list-functions")
        self.assertEqual([f["FunctionName"] for f in listed["Functions"]], ["hello"])

        logs = subprocess.run([BIN, "lambda", "logs", "hello", "--endpoint", self.proc.url()],
                              capture_output=True, text=True, timeout=20)
        self.assertEqual(logs.returncode, 0, logs.stderr)
        self.assertEqual(logs.stdout.count("START RequestId:"), 2)
        self.assertEqual(logs.stdout.count("REPORT RequestId:"), 2)

        aws(self.proc, "delete-function", "--function-name", "hello")
        code, _, err = aws(self.proc, "get-function", "--function-name", "hello", check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("ResourceNotFoundException", err)
        self.assertIn("Function not found: arn:aws:lambda:us-east-1:000000000000:function:hello", err)

    def test_logs_follow_prints_new_invocations(self):
        # A native function (no interpreter start), invoked while `logs --follow` runs: its lines
        # must appear without restarting the command.
        aws(self.proc, "create-function", "--function-name", "follow-me", "--runtime", "cdnlab-native",
            "--handler", "echo", "--role", ROLE, "--zip-file", "fileb://" + self.empty_zip())
        follower = subprocess.Popen([BIN, "lambda", "logs", "follow-me", "--follow", "--endpoint", self.proc.url()],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            ids = []
            for n in range(2):
                req = urllib.request.Request(self.proc.url() + "/2015-03-31/functions/follow-me/invocations",
                                             data=json.dumps({"n": n}).encode(), method="POST")
                with urllib.request.urlopen(req, timeout=20) as r:
                    ids.append(r.headers["x-amzn-RequestId"])
            seen = ""
            sel = selectors.DefaultSelector()
            sel.register(follower.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not all(f"REPORT RequestId: {i}" in seen for i in ids):
                if sel.select(timeout=0.5):
                    chunk = os.read(follower.stdout.fileno(), 65536)  # unbuffered: select() sees all
                    if not chunk:
                        break
                    seen += chunk.decode(errors="replace")
            for i in ids:
                self.assertIn(f"START RequestId: {i}", seen)
                self.assertIn(f"REPORT RequestId: {i}", seen)
            self.assertIsNone(follower.poll(), "--follow keeps running")
        finally:
            follower.kill()
            follower.wait(timeout=10)
            follower.stdout.close()

    def empty_zip(self):
        path = os.path.join(self.tmp.name, "native.zip")
        with open(path, "wb") as f:
            f.write(make_zip({"README": "native built-in: no code"}))
        return path

    def test_s3_code_is_a_clear_error(self):
        code, _, err = aws(self.proc, "create-function", "--function-name", "s3fn", "--runtime", "nodejs20.x",
                           "--handler", "index.handler", "--code", "S3Bucket=my-bucket,S3Key=code.zip", "--role", ROLE, check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("InvalidParameterValueException", err)
        self.assertIn("ZipFile", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
