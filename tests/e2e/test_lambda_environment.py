"""The environment variables AWS's Lambda documents for every execution environment ("Defined
runtime environment variables"), as a Node.js, a Python and a provided.al2023 function see them
through `cdnlab lambda`: function name, version (of the version invoked), memory size, log group
and stream, region, execution environment, task root and runtime directory, TZ, the handler,
the initialization type, the per-invocation trace id, and the store endpoint the SDKs read; an
OS-only (provided) runtime gets no AWS_EXECUTION_ENV, as AWS documents."""
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, client, make_zip, payload_of, start_lambda  # noqa: E402

NAMES = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
         "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_REGION", "AWS_DEFAULT_REGION",
         "AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ", "_HANDLER",
         "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_RUNTIME_API", "_X_AMZN_TRACE_ID", "AWS_ENDPOINT_URL_DYNAMODB",
         "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MY_VAR"]

NODE = "export const handler = async () => Object.fromEntries(%s.map((k) => [k, process.env[k] ?? null]));\n" % json.dumps(NAMES)
PYTHON = "import os\nNAMES = %s\ndef handler(event, context):\n    return {k: os.environ.get(k) for k in NAMES}\n" % json.dumps(NAMES)
# A provided bootstrap answers with its own environment, read by a shell loop over the Runtime API.
BOOTSTRAP = """#!/bin/sh
set -eu
while true; do
  HEADERS=$(mktemp)
  curl -sS -D "$HEADERS" -o /dev/null "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"
  ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | tr -d '\\r' | cut -d' ' -f2)
  rm -f "$HEADERS"
  BODY=$(printf '{"AWS_EXECUTION_ENV":"%s","_HANDLER":"%s","LAMBDA_TASK_ROOT":"%s","AWS_LAMBDA_FUNCTION_NAME":"%s"}' \\
    "${AWS_EXECUTION_ENV:-}" "${_HANDLER:-}" "${LAMBDA_TASK_ROOT:-}" "${AWS_LAMBDA_FUNCTION_NAME:-}")
  curl -sS -o /dev/null -X POST -d "$BODY" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$ID/response"
done
"""

STORE = "http://127.0.0.1:1"  # never contacted: the functions only read the variable


class LambdaEnvironment(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda("--store-endpoint", STORE)
        cls.lam = client(cls.proc)

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.proc.stop()

    def env_of(self, name, runtime, files, handler, **invoke):
        self.lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler, MemorySize=256,
                                 Code={"ZipFile": make_zip(files)}, Environment={"Variables": {"MY_VAR": "mine"}},
                                 Publish=True)
        r = self.lam.invoke(FunctionName=name, Payload=b"{}", **invoke)
        self.assertNotIn("FunctionError", r, r)
        return payload_of(r)

    def check_common(self, env, name, runtime, handler, version):
        self.assertEqual(env["AWS_LAMBDA_FUNCTION_NAME"], name)
        self.assertEqual(env["AWS_LAMBDA_FUNCTION_VERSION"], version)
        self.assertEqual(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256")
        self.assertEqual(env["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/" + name)
        # AWS's stream names: yyyy/mm/dd/[version]<32 hex digits>.
        self.assertRegex(env["AWS_LAMBDA_LOG_STREAM_NAME"], r"^\d{4}/\d\d/\d\d/\[" + re.escape(version) + r"\][0-9a-f]{32}$")
        self.assertEqual((env["AWS_REGION"], env["AWS_DEFAULT_REGION"]), ("us-east-1", "us-east-1"))
        self.assertEqual(env["AWS_EXECUTION_ENV"], "AWS_Lambda_" + runtime)
        self.assertEqual(env["_HANDLER"], handler)
        self.assertTrue(os.path.isabs(env["LAMBDA_TASK_ROOT"]))
        self.assertTrue(os.path.isabs(env["LAMBDA_RUNTIME_DIR"]))
        self.assertEqual(env["TZ"], ":UTC")
        self.assertEqual(env["AWS_LAMBDA_INITIALIZATION_TYPE"], "on-demand")
        self.assertRegex(env["AWS_LAMBDA_RUNTIME_API"], r"^127\.0\.0\.1:\d+$")
        self.assertRegex(env["_X_AMZN_TRACE_ID"], r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24}")
        self.assertEqual(env["AWS_ENDPOINT_URL_DYNAMODB"], STORE)
        self.assertTrue(env["AWS_ACCESS_KEY_ID"] and env["AWS_SECRET_ACCESS_KEY"] and env["AWS_SESSION_TOKEN"])
        self.assertEqual(env["MY_VAR"], "mine")

    def test_node(self):
        env = self.env_of("env-node", "nodejs20.x", {"index.mjs": NODE}, "index.handler")
        self.check_common(env, "env-node", "nodejs20.x", "index.handler", "$LATEST")

    def test_python_published_version(self):
        env = self.env_of("env-py", "python3.11", {"app.py": PYTHON}, "app.handler", Qualifier="1")
        self.check_common(env, "env-py", "python3.11", "app.handler", "1")

    def test_provided_bootstrap(self):
        env = self.env_of("env-provided", "provided.al2023", {"bootstrap": (BOOTSTRAP, 0o755)}, "my.handler")
        self.assertEqual(env["AWS_EXECUTION_ENV"], "", "AWS defines no AWS_EXECUTION_ENV for OS-only runtimes")
        self.assertEqual((env["_HANDLER"], env["AWS_LAMBDA_FUNCTION_NAME"]), ("my.handler", "env-provided"))
        self.assertTrue(os.path.isfile(os.path.join(env["LAMBDA_TASK_ROOT"], "bootstrap")))


if __name__ == "__main__":
    unittest.main()
