"""The README's store example works as written (issue 8, docs): its `cdnlab store` line starts a
store, and its `export` line is all aws-cli needs to talk to it - without that line a clean
environment has no credentials and no region and aws-cli refuses to send anything. The lines are
read from README.md, so the test follows the README; only the port becomes an ephemeral one."""
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SOURCE, Proc  # noqa: E402


def readme_lines():
    with open(os.path.join(SOURCE, "README.md")) as f:
        lines = [l.split("#", 1)[0].strip() for l in f]
    store = next(l for l in lines if l.startswith("./build/cdnlab store "))
    export = next(l for l in lines if l.startswith("export AWS_"))
    aws = next(l for l in lines if l.startswith("aws dynamodb "))
    return store, export, aws


class ReadmeStoreExampleTest(unittest.TestCase):
    def test_store_line_export_line_and_aws_line(self):
        store_line, export_line, aws_line = readme_lines()
        self.assertLess(0, len(export_line))
        with tempfile.TemporaryDirectory() as d:
            args = shlex.split(store_line)[1:]  # after ./build/cdnlab
            args[args.index("--listen") + 1] = "127.0.0.1:0"
            args[args.index("--data") + 1] = os.path.join(d, "data")
            store = Proc(args)
            try:
                aws = shlex.split(aws_line)
                aws[aws.index("--endpoint-url") + 1] = store.url()
                clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
                clean.update(HOME=d, AWS_CONFIG_FILE=os.path.join(d, "none"),
                             AWS_SHARED_CREDENTIALS_FILE=os.path.join(d, "none"), AWS_EC2_METADATA_DISABLED="true")
                without = subprocess.run(aws, capture_output=True, text=True, env=clean, timeout=60)
                self.assertNotEqual(without.returncode, 0, "a clean environment must need the export line")
                exported = dict(kv.split("=", 1) for kv in shlex.split(export_line)[1:])
                self.assertTrue({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= exported.keys(), exported)
                self.assertTrue({"AWS_REGION", "AWS_DEFAULT_REGION"} & exported.keys(), exported)
                r = subprocess.run(aws, capture_output=True, text=True, env=dict(clean, **exported), timeout=60)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertRegex(r.stdout, re.compile(r'"TableNames":\s*\[\s*\]'))
            finally:
                store.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
