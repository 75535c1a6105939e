"""The AWS SDK for JavaScript v3 (@aws-sdk/client-lambda, pinned by tests/clients/js's lock file)
against `cdnlab lambda`: tests/clients/js/lambda_suite.mjs creates, lists, invokes, versions and
deletes functions as a Node application would, and must exit 0 with every check passed."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import make_zip, start_lambda  # noqa: E402
from test_clients import JS, npm_ci  # noqa: E402

HELLO = """export const handler = async (event, context) => {
  if (event.fail) throw new Error("asked to fail");
  console.log("invoked with", event.name);
  return { message: `${process.env.GREETING} ${event.name}`, functionName: context.functionName,
           remaining: context.getRemainingTimeInMillis() };
};
"""


class LambdaSdkV3(unittest.TestCase):
    def test_suite(self):
        npm_ci()
        proc = start_lambda()
        try:
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "hello.zip")
                with open(path, "wb") as f:
                    f.write(make_zip({"index.mjs": HELLO}))
                env = dict(os.environ, LAMBDA_ENDPOINT=proc.url(), HELLO_ZIP=path, AWS_REGION="us-east-1")
                r = subprocess.run(["node", os.path.join(JS, "lambda_suite.mjs")], capture_output=True, text=True,
                                   env=env, timeout=120)
        finally:
            proc.stop()
        out = r.stdout + r.stderr
        print(out.strip().splitlines()[-1] if out.strip() else "(no output)")
        self.assertEqual(r.returncode, 0, out + "\n--- service log (tail) ---\n" + "\n".join(proc.output().splitlines()[-30:]))
        self.assertRegex(r.stdout, r"(^|\n)\d+ passed, 0 failed\s*$")


if __name__ == "__main__":
    unittest.main(verbosity=2)
