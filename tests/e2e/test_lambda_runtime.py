"""Functions running for real through the Runtime API: Python and Node.js handlers (ESM, CommonJS,
callback), function errors and init errors in AWS's shapes, a `provided` bootstrap, timeouts,
crashed and killed environments (only the in-flight invocation fails; the pool recovers),
throttling at reserved and account concurrency, provisioned concurrency without cold starts,
Event invocations with AWS's retries, idle expiry, and /metrics."""
import json
import os
import signal
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, client, make_zip, payload_of, start_lambda, tail_of  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402

PY_ECHO = """import os
def handler(event, context):
    print("python got", event)
    return {"event": event, "name": context.function_name, "mem": context.memory_limit_in_mb,
            "left": context.get_remaining_time_in_millis(), "pid": os.getpid(),
            "init": os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE"), "root": os.environ["LAMBDA_TASK_ROOT"]}

def boom(event, context):
    raise ValueError("bad value " + str(event.get("x")))
"""

NODE_CB = """exports.handler = function (event, context, callback) {
  setTimeout(() => callback(null, { cb: true, pid: process.pid, sleep: event.sleep || 0 }), event.sleep || 0);
};
exports.fail = async () => { throw new TypeError("no such thing"); };
exports.exit = async () => { process.exit(3); };
exports.spin = async (event) => { await new Promise(r => setTimeout(r, event.ms)); return "late"; };
"""

PROVIDED = """#!/usr/bin/python3
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
while True:
    with urllib.request.urlopen(api + "/invocation/next") as r:
        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read())
    body = json.dumps({"provided": True, "echo": event, "handler": os.environ["_HANDLER"]}).encode()
    urllib.request.urlopen(urllib.request.Request(api + f"/invocation/{rid}/response", data=body, method="POST")).read()
"""


def invoke_json(lam, name, payload, **kw):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(payload), **kw)
    return r, payload_of(r)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


class LambdaRuntime(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = start_lambda("--python", "/usr/bin/python3")
        cls.lam = client(cls.proc)
        cls.small = start_lambda("--python", "/usr/bin/python3", "--max-concurrency", "3",
                                 "--idle-timeout-ms", "400", "--async-retry-delay-ms", "100")
        cls.lam2 = client(cls.small)
        cls.tmp = tempfile.TemporaryDirectory()
        for lam in (cls.lam, cls.lam2):
            lam.create_function(FunctionName="py", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                                Code={"ZipFile": make_zip({"app.py": PY_ECHO})}, MemorySize=256)
            lam.create_function(FunctionName="node", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": make_zip({"index.js": NODE_CB})}, Timeout=1)

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.lam2.close()
        cls.proc.stop()
        cls.small.stop()
        cls.tmp.cleanup()

    def test_python_handler_and_context(self):
        r, out = invoke_json(self.lam, "py", {"a": 1}, LogType="Tail")
        self.assertEqual(out["event"], {"a": 1})
        self.assertEqual((out["name"], out["mem"], out["init"]), ("py", "256", "on-demand"))
        self.assertTrue(0 < out["left"] <= 3000)
        self.assertIn("python got {'a': 1}", tail_of(r))
        self.assertIn("Memory Size: 256 MB", tail_of(r))

    def test_python_error_shape(self):
        self.lam.update_function_configuration(FunctionName="py", Handler="app.boom")
        try:
            r, out = invoke_json(self.lam, "py", {"x": 7})
        finally:
            self.lam.update_function_configuration(FunctionName="py", Handler="app.handler")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual((out["errorType"], out["errorMessage"]), ("ValueError", "bad value 7"))
        self.assertIsInstance(out["stackTrace"], list)

    def test_node_callback_error_and_init_errors(self):
        _, out = invoke_json(self.lam, "node", {"sleep": 5})
        self.assertTrue(out["cb"])
        self.lam.create_function(FunctionName="nfail", Runtime="nodejs20.x", Role=ROLE, Handler="index.fail",
                                 Code={"ZipFile": make_zip({"index.js": NODE_CB})})
        r, out = invoke_json(self.lam, "nfail", {})
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertEqual((out["errorType"], out["errorMessage"]), ("TypeError", "no such thing"))
        self.lam.update_function_configuration(FunctionName="nfail", Handler="missing.handler")
        r, out = invoke_json(self.lam, "nfail", {})
        self.assertEqual((r["FunctionError"], out["errorType"]), ("Unhandled", "Runtime.ImportModuleError"))
        self.lam.update_function_configuration(FunctionName="nfail", Handler="index.nothere")
        r, out = invoke_json(self.lam, "nfail", {})
        self.assertEqual(out["errorType"], "Runtime.HandlerNotFound")

    def test_provided_bootstrap(self):
        self.lam.create_function(FunctionName="prov", Runtime="provided.al2023", Role=ROLE, Handler="any.thing",
                                 Code={"ZipFile": make_zip({"bootstrap": (PROVIDED, 0o755)})})
        _, out = invoke_json(self.lam, "prov", {"k": "v"})
        self.assertEqual(out, {"provided": True, "echo": {"k": "v"}, "handler": "any.thing"})

    def test_timeout_kills_and_recovers(self):
        self.lam.create_function(FunctionName="slow", Runtime="nodejs20.x", Role=ROLE, Handler="index.spin",
                                 Code={"ZipFile": make_zip({"index.js": NODE_CB})}, Timeout=1)
        r, out = invoke_json(self.lam, "slow", {"ms": 5000}, LogType="Tail")
        self.assertEqual(r["FunctionError"], "Unhandled")
        self.assertRegex(out["errorMessage"], r"Task timed out after 1\.00 seconds")
        self.assertIn("Task timed out after 1.00 seconds", tail_of(r))
        _, out = invoke_json(self.lam, "slow", {"ms": 1})
        self.assertEqual(out, "late")

    def test_crash_and_kill_recovery(self):
        self.lam.create_function(FunctionName="crash", Runtime="nodejs20.x", Role=ROLE, Handler="index.exit",
                                 Code={"ZipFile": make_zip({"index.js": NODE_CB})})
        r, out = invoke_json(self.lam, "crash", {})
        self.assertEqual((r["FunctionError"], out["errorType"]), ("Unhandled", "Runtime.ExitError"))
        self.assertIn("exit status 3", out["errorMessage"])
        # A killed in-flight environment fails only that invocation; the next one gets a new environment.
        _, first = invoke_json(self.lam, "node", {})
        results = {}

        def slow_call():
            results["r"] = invoke_json(self.lam, "node", {"sleep": 800})

        t = threading.Thread(target=slow_call)
        t.start()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the warm environment is busy once its log shows START
            time.sleep(0.02)
            logs = urllib.request.urlopen(self.proc.url() + "/_cdnlab/logs/node").read().decode()
            if logs.count("START RequestId") >= logs.count("END RequestId") + 1:
                break
        os.kill(first["pid"], signal.SIGKILL)
        t.join(10)
        r, out = results["r"]
        self.assertEqual((r["FunctionError"], out["errorType"]), ("Unhandled", "Runtime.ExitError"))
        self.assertIn("signal: killed", out["errorMessage"])
        _, after = invoke_json(self.lam, "node", {})
        self.assertNotEqual(after["pid"], first["pid"])

    def test_throttle_reserved_and_account(self):
        # Each call holds its environment for 4 s, so all of them are in flight together even when a
        # loaded machine (a sanitizer build) starts the client threads a second or two apart.
        for lam in (self.lam, self.lam2):
            lam.create_function(FunctionName="busy", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": make_zip({"index.js": NODE_CB})}, Timeout=10)
        self.lam.put_function_concurrency(FunctionName="busy", ReservedConcurrentExecutions=2)
        for lam, name, n, reason in ((self.lam, "busy", 4, "ReservedFunctionConcurrentInvocationLimitExceeded"),
                                     (self.lam2, "busy", 5, "ConcurrentInvocationLimitExceeded")):
            barrier = threading.Barrier(n)
            outcomes = []

            def call():
                barrier.wait()
                try:
                    r = lam.invoke(FunctionName=name, Payload=json.dumps({"sleep": 4000}))
                    outcomes.append("ok" if "FunctionError" not in r else r["FunctionError"])
                except ClientError as e:
                    outcomes.append((e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"],
                                     e.response.get("Reason")))

            threads = [threading.Thread(target=call) for _ in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            limit = 2 if lam is self.lam else 3
            self.assertEqual(outcomes.count("ok"), limit, outcomes)
            self.assertEqual(outcomes.count(("TooManyRequestsException", 429, reason)), n - limit, outcomes)

    def test_provisioned_has_no_cold_start(self):
        self.lam.create_function(FunctionName="warm", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                                 Code={"ZipFile": make_zip({"app.py": PY_ECHO})}, Publish=True)
        self.lam.create_alias(FunctionName="warm", Name="prod", FunctionVersion="1")
        self.lam.put_provisioned_concurrency_config(FunctionName="warm", Qualifier="prod", ProvisionedConcurrentExecutions=2)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            cfg = self.lam.get_provisioned_concurrency_config(FunctionName="warm", Qualifier="prod")
            if cfg["Status"] == "READY":
                break
            time.sleep(0.05)
        self.assertEqual((cfg["Status"], cfg["AvailableProvisionedConcurrentExecutions"]), ("READY", 2))
        r, out = invoke_json(self.lam, "warm", {}, Qualifier="prod", LogType="Tail")
        self.assertEqual(out["init"], "provisioned-concurrency")
        self.assertNotIn("Init Duration", tail_of(r))

    def test_event_invocations_and_retries(self):
        marker = os.path.join(self.tmp.name, "events.log")
        code = f"""const fs = require("fs");
exports.handler = async (e) => {{ fs.appendFileSync({json.dumps(marker)}, e.tag + "\\n"); if (e.fail) throw new Error("again"); return 1; }};
"""
        self.lam2.create_function(FunctionName="ev", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                  Code={"ZipFile": make_zip({"index.js": code})})
        self.assertEqual(self.lam2.invoke(FunctionName="ev", InvocationType="Event",
                                          Payload=json.dumps({"tag": "ok"}))["StatusCode"], 202)
        self.lam2.invoke(FunctionName="ev", InvocationType="Event", Payload=json.dumps({"tag": "bad", "fail": True}))
        deadline = time.monotonic() + 20
        lines = []
        while time.monotonic() < deadline:
            lines = []
            if os.path.exists(marker):
                with open(marker) as f:
                    lines = f.read().split()
            if lines.count("bad") >= 3 and "ok" in lines:
                break
            time.sleep(0.05)
        self.assertEqual((lines.count("ok"), lines.count("bad")), (1, 3), lines)  # one try + AWS's two retries
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            logs = urllib.request.urlopen(self.small.url() + "/_cdnlab/logs/ev").read().decode()
            if "failed after 3 attempts" in logs:
                break
            time.sleep(0.05)
        self.assertIn("failed after 3 attempts", logs)

    def test_idle_expiry_and_metrics(self):
        _, first = invoke_json(self.lam2, "py", {})
        deadline = time.monotonic() + 10
        while pid_alive(first["pid"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(pid_alive(first["pid"]), "an idle environment must stop after --idle-timeout-ms")
        r, second = invoke_json(self.lam2, "py", {}, LogType="Tail")
        self.assertNotEqual(second["pid"], first["pid"])
        self.assertIn("Init Duration", tail_of(r))
        text = urllib.request.urlopen(self.small.url() + "/metrics").read().decode()
        self.assertRegex(text, r'cdnlab_lambda_invocations_total\{function="py"\} [2-9]')
        self.assertRegex(text, r'cdnlab_lambda_cold_starts_total\{function="py"\} [2-9]')
        self.assertIn('cdnlab_lambda_duration_ms_bucket{function="py",le="+Inf"}', text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
