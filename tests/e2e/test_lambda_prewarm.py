"""Pre-started Node.js and Python environments: `cdnlab lambda` keeps one node and one python3
process started ahead (the bootstrap loaded, no function yet) and hands it to the next cold start
of that runtime over the Runtime API's `cdnlab/assignment`. The function must not be able to tell: its environment variables, its
working directory and the Runtime API are exactly those of a freshly started process, and a
function whose variables the interpreter reads at start (NODE_OPTIONS, PYTHONPATH) gets a process
of its own.
With --no-prewarm nothing is started ahead."""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, client, make_zip, payload_of, start_lambda, tail_of  # noqa: E402

FN = """exports.handler = async () => ({
  pid: process.pid, cwd: process.cwd(), root: process.env.LAMBDA_TASK_ROOT, name: process.env.AWS_LAMBDA_FUNCTION_NAME,
  mine: process.env.MINE, spareFlag: process.env._CDNLAB_SPARE ?? null, title: process.title,
  api: process.env.AWS_LAMBDA_RUNTIME_API, handler: process.env._HANDLER, tz: process.env.TZ,
});
"""

PY_FN = """import os


def handler(event, context):
    return {"pid": os.getpid(), "cwd": os.getcwd(), "root": os.environ.get("LAMBDA_TASK_ROOT"),
            "name": os.environ.get("AWS_LAMBDA_FUNCTION_NAME"), "mine": os.environ.get("MINE"),
            "spareFlag": os.environ.get("_CDNLAB_SPARE"), "handler": os.environ.get("_HANDLER"),
            "tz": os.environ.get("TZ"), "api": os.environ.get("AWS_LAMBDA_RUNTIME_API"),
            "requestId": context.aws_request_id}
"""


def is_python(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"python" in f.read().split(b"\0")[0]
    except OSError:
        return False


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid != pid:
                continue
            with open(f"/proc/{d}/environ", "rb") as f:
                env = f.read().split(b"\0")
            out.append((int(d), b"_CDNLAB_SPARE=1" in env))
        except (OSError, ValueError, IndexError):
            continue
    return out


def wait_for_spare(pid, used=(), timeout=30, python=False):
    """A child started as a spare and not yet used (/proc/PID/environ keeps the start environment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        spares = [c for c, spare in children(pid) if spare and c not in used and is_python(c) == python]
        if spares:
            return spares[0]
        time.sleep(0.05)
    raise AssertionError(f"no spare node process under {pid}: {children(pid)}")


# (runtime, handler, files) of the function each test creates.
NODE = ("nodejs20.x", "index.handler", {"index.js": FN})
PYTHON = ("python3.11", "app.handler", {"app.py": PY_FN})


class LambdaPrewarm(unittest.TestCase):
    def create(self, lam, name, env, function=NODE):
        """Creates the function and invokes it once: (its answer, its log tail)."""
        runtime, handler, files = function
        lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                            Code={"ZipFile": make_zip(files)}, Timeout=20,
                            Environment={"Variables": env})
        r = lam.invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
        out = payload_of(r)
        self.assertNotIn("FunctionError", r, (out, tail_of(r)))
        return out, tail_of(r)

    def test_spare_takes_the_function_unnoticed(self):
        proc = start_lambda()
        lam = client(proc)
        try:
            # Nothing is started ahead until Node.js is used: the first cold start starts node itself.
            self.assertEqual([c for c, s in children(proc.p.pid) if s], [])
            first, _ = self.create(lam, "first", {})
            spare = wait_for_spare(proc.p.pid, used={first["pid"]})
            out, log = self.create(lam, "warmed", {"MINE": "1"})
            self.assertEqual(out["pid"], spare)  # the process started ahead ran it
            self.assertEqual(out["cwd"], out["root"])
            self.assertTrue(out["root"].endswith(os.sep + "code" + os.sep + os.path.basename(out["root"])), out["root"])
            self.assertEqual((out["name"], out["mine"], out["spareFlag"], out["handler"], out["tz"]),
                             ("warmed", "1", None, "index.handler", ":UTC"))
            self.assertRegex(out["api"], r"^127\.0\.0\.1:\d+$")
            self.assertRegex(log, r"Init Duration: [0-9.]+ ms")
            # A new spare is started once that cold start is over.
            second = wait_for_spare(proc.p.pid, used={spare, first["pid"]})
            self.assertNotEqual(second, spare)
            # NODE_OPTIONS is read by node at its start: such a function gets a fresh process.
            out, _ = self.create(lam, "ownproc", {"NODE_OPTIONS": "--title=cdnlab-own"})
            self.assertEqual(out["title"], "cdnlab-own")
            self.assertNotEqual(out["pid"], second)
            self.assertIn(second, [c for c, s in children(proc.p.pid) if s])  # still waiting
        finally:
            lam.close()
            proc.stop()

    def test_python_spare_takes_the_function_unnoticed(self):
        proc = start_lambda()
        lam = client(proc)
        try:
            first, _ = self.create(lam, "pyfirst", {}, PYTHON)
            spare = wait_for_spare(proc.p.pid, used={first["pid"]}, python=True)
            out, log = self.create(lam, "pywarmed", {"MINE": "1"}, PYTHON)
            self.assertEqual(out["pid"], spare)  # the process started ahead ran it
            self.assertEqual(out["cwd"], out["root"])
            self.assertEqual((out["name"], out["mine"], out["spareFlag"], out["handler"], out["tz"]),
                             ("pywarmed", "1", None, "app.handler", ":UTC"))
            self.assertRegex(out["api"], r"^127\.0\.0\.1:\d+$")
            self.assertRegex(log, r"Init Duration: [0-9.]+ ms")
            second = wait_for_spare(proc.p.pid, used={spare, first["pid"]}, python=True)
            # PYTHONPATH is read by python at its start: such a function gets a fresh process.
            out, _ = self.create(lam, "pyownproc", {"PYTHONPATH": "/nonexistent"}, PYTHON)
            self.assertNotEqual(out["pid"], second)
            self.assertIn(second, [c for c, s in children(proc.p.pid) if s])  # still waiting
        finally:
            lam.close()
            proc.stop()

    def test_no_prewarm_starts_nothing_ahead(self):
        proc = start_lambda("--no-prewarm")
        lam = client(proc)
        try:
            out, _ = self.create(lam, "plain", {"MINE": "2"})
            self.assertEqual(out["mine"], "2")
            self.assertEqual([c for c, s in children(proc.p.pid) if s], [])
        finally:
            lam.close()
            proc.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
