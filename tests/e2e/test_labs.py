"""End-to-end: every lab in docs/labs/ runs as written, so the labs cannot rot.

Each lab's ```sh blocks are run in order, as one bash script (`set -euo pipefail`), from a
scratch folder that looks like the repository (build/, configs/ and tests/ link to the real
ones), with a private XDG_RUNTIME_DIR. Durations are shortened (`--duration 30s` runs 2 s,
`--warmup 5s` 1 s) and nothing else is changed. A lab passes when every command succeeds.
Whatever a lab leaves running is stopped afterwards (`cdnlab down`, and the lab's own
processes by PID).

Every lab must also have the parts a student relies on: the question, the commands, what to
look at, why, and two exercises.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, SOURCE  # noqa: E402

LABS = sorted(p for p in glob.glob(os.path.join(SOURCE, "docs", "labs", "*.md")) if not p.endswith("README.md"))
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
SECTIONS = ["## The question", "## Run it", "## What to look at", "## Why", "## Exercises"]


def shortened(script):
    script = re.sub(r"--duration[ =](\d+)(s|m)\b", "--duration 2s", script)
    return re.sub(r"--warmup[ =](\d+)(s|m)\b", "--warmup 1s", script)


class LabsTest(unittest.TestCase):
    def test_there_are_labs(self):
        self.assertGreaterEqual(len(LABS), 6, LABS)
        index = open(os.path.join(SOURCE, "docs", "labs", "README.md")).read()
        for lab in LABS:
            self.assertIn(os.path.basename(lab), index, f"docs/labs/README.md does not list {lab}")

    def test_every_lab_runs(self):
        for lab in LABS:
            with self.subTest(lab=os.path.basename(lab)):
                self.run_lab(lab)

    def run_lab(self, lab):
        text = open(lab).read()
        for s in SECTIONS:
            self.assertIn(s, text, f"{lab}: no '{s}' section")
        exercises = text.split("## Exercises", 1)[1]
        self.assertGreaterEqual(len(re.findall(r"^\d+\. ", exercises, re.M)), 2, f"{lab}: fewer than two exercises")
        blocks = BLOCK.findall(text)
        self.assertTrue(blocks, f"{lab}: no ```sh block")

        work = tempfile.mkdtemp(prefix="cdnlab-lab-")
        try:
            os.makedirs(os.path.join(work, "build"))
            os.symlink(BIN, os.path.join(work, "build", "cdnlab"))
            for d in ("configs", "tests"):
                os.symlink(os.path.join(SOURCE, d), os.path.join(work, d))
            env = dict(os.environ, XDG_RUNTIME_DIR=work, PATH=os.path.join(work, "build") + ":" + os.environ["PATH"])
            script = "set -euo pipefail\n" + shortened("\n".join(blocks))
            r = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True,
                               timeout=240, start_new_session=True)
            self.assertEqual(r.returncode, 0,
                             f"{os.path.basename(lab)} failed ({r.returncode}):\n--- stdout\n{r.stdout[-3000:]}\n"
                             f"--- stderr\n{r.stderr[-3000:]}")
        finally:
            # Stop whatever the lab left running: the topology by its state file, its own
            # background processes (they recorded their PIDs in *.pid files).
            subprocess.run([BIN, "down"], cwd=work, env=dict(os.environ, XDG_RUNTIME_DIR=work), capture_output=True,
                           timeout=60)
            for pidfile in glob.glob(os.path.join(work, "*.pid")):
                try:
                    os.kill(int(open(pidfile).read().strip()), 15)
                except (OSError, ValueError):
                    pass
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
