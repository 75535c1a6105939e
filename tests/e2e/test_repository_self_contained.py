"""The repository stands on its own (issue 8, docs): nothing a clone contains - README, docs/,
code comments, tests, scripts - points at files outside it (the team's private design notes and
style guide, or a data folder next to the checkout). Architecture and style live in docs/, test
data in tests/data/."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SOURCE  # noqa: E402

# Built from pieces so that this file does not match itself.
OUTSIDE = ["DESIGN" + ".md", "STYLE" + ".md", "/work/" + "shared", "../" + "shared/"]
SKIP_DIRS = {".git", ".deps", "build", "node_modules"}


def repository_files():
    root = os.path.abspath(SOURCE)
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True, check=True,
                             timeout=60).stdout
        return root, [f for f in out.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if x not in SKIP_DIRS]
            files += [os.path.relpath(os.path.join(d, n), root) for n in names]
        return root, files


class SelfContainedTest(unittest.TestCase):
    def test_nothing_points_outside_the_repository(self):
        root, files = repository_files()
        self.assertGreater(len(files), 100)
        found = []
        for rel in files:
            if rel.split("/")[0] in SKIP_DIRS:
                continue
            try:
                with open(os.path.join(root, rel), "rb") as f:
                    data = f.read(2_000_000)
            except OSError:
                continue
            if b"\0" in data[:4096]:
                continue  # binary
            text = data.decode("utf-8", "replace")
            for n, line in enumerate(text.splitlines(), 1):
                for needle in OUTSIDE:
                    if needle in line:
                        found.append(f"{rel}:{n}: {needle}: {line.strip()[:100]}")
        self.assertEqual(found, [], "\n".join(found))

    def test_architecture_and_style_are_in_docs(self):
        for name in ("architecture.md", "style.md"):
            path = os.path.join(SOURCE, "docs", name)
            self.assertTrue(os.path.isfile(path), path)
            self.assertGreater(os.path.getsize(path), 1000, path)


if __name__ == "__main__":
    unittest.main(verbosity=2)
